package io.edgeray.cache;

import io.edgeray.testing.TestClock;
import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.get;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier through the whole cache: restarts, corruption, large bodies, eviction, a full disk. */
class DiskTierTest {
  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private final CacheSettings zone = CacheSettings.DEFAULTS;
  private CacheMetrics metrics = CacheMetrics.unregistered();

  private HttpCache open(long diskBytes, long minFree) throws IOException {
    metrics = CacheMetrics.unregistered();
    CacheStorage storage = CacheStorage.onDisk(8 << 20, 64 * 1024, dir, diskBytes, minFree, metrics);
    return new HttpCache(storage, metrics, clock, "AMS", new CacheFixtures.TestTimer(), Duration.ofSeconds(5));
  }

  private HttpCache open() throws IOException {
    return open(1L << 30, 0);
  }

  /** Stores {@code body} under {@code path}, in chunks of 16 KiB as they would arrive. */
  private static boolean store(HttpCache cache, CacheSettings zone, String path, byte[] body, String... extraHeaders) {
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get(path))).fetch();
    HttpHeaders h = headers("Cache-Control", "max-age=60", "Content-Length", Integer.toString(body.length), "ETag", "\"v1\"");
    for (int i = 0; i < extraHeaders.length; i += 2) h.add(extraHeaders[i], extraHeaders[i + 1]);
    var d = (ResponseDecision.Forward) f.responseHead(new ResponseHead(200, h));
    EntryWriter w = d.writer().orElseThrow();
    for (int off = 0; off < body.length; off += 16 * 1024) {
      w.append(Unpooled.wrappedBuffer(body, off, Math.min(16 * 1024, body.length - off)));
    }
    return w.commit();
  }

  private static byte[] read(HttpCache cache, CacheSettings zone, String path) throws IOException {
    Lookup l = cache.lookup(zone, get(path));
    assertThat(l).as("lookup of " + path).isInstanceOf(Lookup.Hit.class);
    try (BodyStream s = ((Lookup.Hit) l).response().body()) {
      return s.readAll();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private List<Path> entryFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".entry")).toList();
    }
  }

  @Test
  void aLargeRandomBodyComesBackByteForByte() throws IOException {
    HttpCache cache = open();
    byte[] body = random(5 * 1024 * 1024 + 123, 1);
    assertThat(store(cache, zone, "/big.bin", body)).isTrue();
    assertThat(read(cache, zone, "/big.bin")).isEqualTo(body);
    assertThat(cache.storage().memoryBytes()).isLessThan(body.length); // never held whole in the heap
    assertThat(cache.storage().diskBytes()).isGreaterThan(body.length);
  }

  @Test
  void aNewCacheOverTheSameDirectoryFindsTheEntry() throws IOException {
    byte[] body = random(300_000, 2);
    assertThat(store(open(), zone, "/kept.bin", body, "Cache-Tag", "kept")).isTrue();
    HttpCache restarted = open();
    assertThat(read(restarted, zone, "/kept.bin")).isEqualTo(body);
    assertThat(restarted.purge("shop.example", Purge.tags("kept"))).isEqualTo(1); // tags survive too
    assertThat(entryFiles()).isEmpty();
  }

  @Test
  void varyVariantsAreFoundAfterARestart() throws IOException {
    HttpCache cache = open();
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/v", "Accept-Encoding", "gzip"))).fetch();
    var d = (ResponseDecision.Forward) f.responseHead(new ResponseHead(200,
        headers("Cache-Control", "max-age=60", "Vary", "Accept-Encoding", "Content-Length", "2")));
    d.writer().get().append(new byte[] {1, 2});
    d.writer().get().commit();
    HttpCache restarted = open();
    assertThat(restarted.lookup(zone, get("/v", "Accept-Encoding", "gzip"))).isInstanceOf(Lookup.Hit.class);
    assertThat(restarted.lookup(zone, get("/v", "Accept-Encoding", "br"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void anEntryWhoseBodyIsCorruptedIsAMissAndIsDeleted() throws IOException {
    byte[] body = random(200_000, 3);
    store(open(), zone, "/c.bin", body);
    Path file = entryFiles().get(0);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55}), 5000);
    }
    HttpCache restarted = open();
    assertThat(restarted.lookup(zone, get("/c.bin"))).isInstanceOf(Lookup.Miss.class);
    assertThat(file).doesNotExist();
    assertThat(metrics.storeFailures("corrupt")).isEqualTo(1);
  }

  @Test
  void anEntryWhoseHeadDoesNotReadBackIsDeletedAtStart() throws IOException {
    store(open(), zone, "/h.bin", random(1000, 4));
    Path file = entryFiles().get(0);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x7f}), 20);
    }
    HttpCache restarted = open();
    assertThat(file).doesNotExist();
    assertThat(restarted.lookup(zone, get("/h.bin"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void aFileCutShortByACrashIsDeletedAndLeftoverTemporaryFilesToo() throws IOException {
    store(open(), zone, "/cut.bin", random(10_000, 5));
    Path file = entryFiles().get(0);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    Path temp = Files.writeString(dir.resolve("w-dead.tmp"), "half an object");
    HttpCache restarted = open();
    assertThat(file).doesNotExist();
    assertThat(temp).doesNotExist();
    assertThat(restarted.lookup(zone, get("/cut.bin"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void theDiskTierEvictsToStayWithinItsSize() throws IOException {
    HttpCache cache = open(1024 * 1024, 0);
    for (int i = 0; i < 8; i++) store(cache, zone, "/o" + i, random(200_000, i));
    assertThat(cache.storage().diskBytes()).isLessThanOrEqualTo(1024 * 1024);
    assertThat(metrics.evictions("disk")).isGreaterThan(0);
    assertThat(entryFiles().stream().mapToLong(p -> p.toFile().length()).sum()).isLessThanOrEqualTo(1024 * 1024);
  }

  @Test
  void aFullDiskMakesTheCacheBypassLargeObjectsAndSaySoWithoutFailing() throws IOException {
    HttpCache cache = open(1L << 30, Long.MAX_VALUE); // no file system has that much free
    byte[] big = random(500_000, 6);
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/full.bin"))).fetch();
    var d = (ResponseDecision.Forward) f.responseHead(new ResponseHead(200,
        headers("Cache-Control", "max-age=60", "Content-Length", Integer.toString(big.length))));
    EntryWriter w = d.writer().orElseThrow();
    w.append(big);
    assertThat(w.commit()).isFalse();
    assertThat(metrics.storeFailures("disk_full")).isEqualTo(1);
    assertThat(cache.lookup(zone, get("/full.bin"))).isInstanceOf(Lookup.Miss.class);
    assertThat(entryFiles()).isEmpty();
  }

  @Test
  void aRevalidatedHeadIsRewrittenOnDiskAndSurvivesARestart() throws IOException {
    HttpCache cache = open();
    byte[] body = random(100_000, 7);
    store(cache, zone, "/r.bin", body, "X-Version", "1");
    clock.advance(Duration.ofSeconds(120));
    OriginFetch f = ((Lookup.Miss) cache.lookup(zone, get("/r.bin"))).fetch();
    f.prepareOriginRequest(headers());
    var served = (ResponseDecision.ServeStored) f.responseHead(new ResponseHead(304,
        headers("Cache-Control", "max-age=600", "ETag", "\"v1\"", "X-Version", "2")));
    served.response().close();
    HttpCache restarted = open();
    Lookup.Hit hit = (Lookup.Hit) restarted.lookup(zone, get("/r.bin"));
    assertThat(hit.response().headers().get("X-Version")).isEqualTo("2");
    try (BodyStream s = hit.response().body()) {
      assertThat(s.readAll()).isEqualTo(body);
    }
    assertThat(entryFiles()).hasSize(1);
  }

  @Test
  void anEntryReadBackAfterARestartKeepsItsAgeFreshnessAndPrivateFields() throws IOException {
    byte[] body = random(1000, 10);
    store(open(), zone, "/aged", body, "Age", "20", "Cache-Control", "private=\"X-Secret\"", "X-Secret", "for the origin's visitor");
    clock.advance(Duration.ofSeconds(10));
    HttpCache restarted = open();
    Lookup.Hit hit = (Lookup.Hit) restarted.lookup(zone, get("/aged"));
    assertThat(hit.response().headers().get("Age")).isEqualTo("30");
    assertThat(hit.response().headers().get("Cache-Status")).isEqualTo("edgeray-AMS; hit; ttl=30");
    assertThat(hit.response().headers().contains("X-Secret")).isFalse();
    hit.response().close();
    clock.advance(Duration.ofSeconds(30));
    assertThat(restarted.lookup(zone, get("/aged"))).isInstanceOf(Lookup.Miss.class);
  }

  @Test
  void aRangeOfALargeObjectIsReadFromDisk() throws IOException {
    HttpCache cache = open();
    byte[] body = random(2 * 1024 * 1024, 8);
    store(cache, zone, "/range.bin", body);
    Lookup.Hit hit = (Lookup.Hit) cache.lookup(zone, get("/range.bin", "Range", "bytes=1000000-1099999"));
    assertThat(hit.response().status()).isEqualTo(206);
    try (BodyStream s = hit.response().body()) {
      assertThat(s.readAll()).isEqualTo(java.util.Arrays.copyOfRange(body, 1_000_000, 1_100_000));
    }
  }

  @Test
  void aSmallObjectIsPromotedToMemoryOnItsFirstReadAfterARestart() throws IOException {
    byte[] body = random(10_000, 9);
    store(open(), zone, "/small", body);
    HttpCache restarted = open();
    assertThat(restarted.storage().memoryBytes()).isZero();
    assertThat(read(restarted, zone, "/small")).isEqualTo(body);
    assertThat(restarted.storage().memoryBytes()).isGreaterThan(body.length);
  }
}
