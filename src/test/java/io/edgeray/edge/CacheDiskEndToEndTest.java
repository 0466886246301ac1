package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.edge.CacheEndToEndTest.Origin;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier as the config turns it on: a restart keeps hits, corruption is a miss, the bound holds, a full disk bypasses. */
class CacheDiskEndToEndTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  @TempDir Path cacheDir;

  private static String zone(int port) {
    return "  - name: shop.example\n"
        + "    origin_ports: { http: " + port + " }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }

  private String storage(String size, String more) {
    return "cache_storage:\n  memory: 1MiB\n  memory_object: 64KiB\n  disk: { path: " + cacheDir + ", size: " + size + more + " }\n";
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private List<Path> entryFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(cacheDir)) {
      return walk.filter(p -> p.toString().endsWith(".entry")).toList();
    }
  }

  /** A GET, once its ray has ended (its log line is written after the body is stored). */
  private RawClient.Response getAndEnd(String path) throws IOException {
    RawClient.Response r = edge.get("shop.example", path);
    edge.logLine(r.header("edge-ray"));
    return r;
  }

  @Test
  void aRestartedEdgeServesWhatItStoredOnDiskAsAHitWithoutAskingTheOrigin() throws Exception {
    byte[] body = random(300_000, 1);
    try (Origin origin = new Origin(Map.of("/big.bin", Origin.bytes(body, "Cache-Control", "max-age=600")))) {
      edge.start(storage("64MiB", ""), zone(origin.port()));
      RawClient.Response miss = edge.get("shop.example", "/big.bin");
      assertThat(miss.header("edge-cache-status")).isEqualTo("MISS");
      assertThat(edge.logLine(miss.header("edge-ray")).get("cache").get("stored").asBoolean()).isTrue();
      assertThat(entryFiles()).hasSize(1);
      edge.stop();

      edge.start(storage("64MiB", ""), zone(origin.port()));
      RawClient.Response r = edge.get("shop.example", "/big.bin");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(r.bodyBytes()).isEqualTo(body);
      assertThat(origin.hits("/big.bin")).isEqualTo(1);
    }
  }

  @Test
  void aStalePageForTheBannerThatNoLongerReadsBackGivesTheOriginsErrorPage() throws Exception {
    String html = "<html><body>" + "x".repeat(4000) + "</body></html>"; // above memory_object: on disk only
    Origin origin = new Origin(Map.of("/", Origin.text(html, "Cache-Control", "max-age=0", "Content-Type", "text/html")));
    try {
      edge.start("cache_storage:\n  memory: 1MiB\n  memory_object: 1KiB\n  disk: { path: " + cacheDir + ", size: 64MiB }\n",
          zone(origin.port()) + "    cache: { always_online: { window: 1d, banner: true } }\n");
      getAndEnd("/");
      origin.close(); // refused from now on
      assertThat(getAndEnd("/").header("edge-cache-status")).as("stale, with the banner; its checksum read back").isEqualTo("STALE");
      Path entry = entryFiles().get(0);
      try (RandomAccessFile f = new RandomAccessFile(entry.toFile(), "rw")) {
        f.setLength(f.length() - 1000); // the body cut short after its checksum was verified
      }

      RawClient.Response r = edge.get("shop.example", "/");

      assertThat(r.status()).isEqualTo(521);
      assertThat(r.body()).contains(r.header("edge-ray"));
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("status").asInt()).isEqualTo(521);
      assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
    } finally {
      origin.close();
    }
  }

  @Test
  void aCorruptedEntryFileIsAMissAndIsDeletedNeverServed() throws Exception {
    byte[] body = random(200_000, 2);
    try (Origin origin = new Origin(Map.of("/c.bin", Origin.bytes(body, "Cache-Control", "max-age=600")))) {
      edge.start(storage("64MiB", ""), zone(origin.port()));
      getAndEnd("/c.bin");
      edge.stop();
      Path file = entryFiles().get(0);
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) { // one body byte flipped: the checksum fails
        f.seek(f.length() / 2);
        int b = f.read();
        f.seek(f.length() / 2);
        f.write(b ^ 0xff);
      }

      edge.start(storage("64MiB", ""), zone(origin.port()));
      RawClient.Response r = edge.get("shop.example", "/c.bin");

      assertThat(r.header("edge-cache-status")).isEqualTo("MISS");
      assertThat(r.bodyBytes()).isEqualTo(body);
      assertThat(origin.hits("/c.bin")).isEqualTo(2);
      assertThat(file).doesNotExist();
      edge.logLine(r.header("edge-ray"));
      assertThat(edge.get("shop.example", "/c.bin").header("edge-cache-status")).isEqualTo("HIT"); // stored afresh
    }
  }

  @Test
  void aTinyDiskBoundEvictsObjectsAndCountsThem() throws Exception {
    try (Origin origin = new Origin(Map.of(
        "/1", Origin.bytes(random(200_000, 1), "Cache-Control", "max-age=600"),
        "/2", Origin.bytes(random(200_000, 2), "Cache-Control", "max-age=600"),
        "/3", Origin.bytes(random(200_000, 3), "Cache-Control", "max-age=600"),
        "/4", Origin.bytes(random(200_000, 4), "Cache-Control", "max-age=600")))) {
      edge.start(storage("500KiB", ""), zone(origin.port()));
      for (String p : List.of("/1", "/2", "/3", "/4")) getAndEnd(p);

      assertThat(entryFiles().stream().mapToLong(p -> p.toFile().length()).sum()).isLessThanOrEqualTo(500 * 1024);
      assertThat(entryFiles().size()).isBetween(1, 2);
      assertThat(edge.node().metrics().registry().scrape().stream()
          .filter(m -> m.getMetadata().getPrometheusName().equals("edgeray_cache_evictions"))
          .flatMap(m -> m.getDataPoints().stream())
          .anyMatch(p -> p.getLabels().get("tier").equals("disk"))).isTrue();
    }
  }

  @Test
  void aFullDiskBypassesTheCacheAndSaysSoInTheLogWithoutFailingTheRequest() throws Exception {
    byte[] body = random(200_000, 5);
    try (Origin origin = new Origin(Map.of("/f.bin", Origin.bytes(body, "Cache-Control", "max-age=600")))) {
      edge.start(storage("64MiB", ", min_free: 1048576GiB"), zone(origin.port())); // no file system has that much free

      RawClient.Response first = getAndEnd("/f.bin");
      RawClient.Response second = edge.get("shop.example", "/f.bin");

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.bodyBytes()).isEqualTo(body);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("edge-cache-status")).isEqualTo("MISS");
      assertThat(origin.hits("/f.bin")).isEqualTo(2);
      JsonNode cache = edge.logLine(first.header("edge-ray")).get("cache");
      assertThat(cache.get("stored").asBoolean()).isFalse();
      assertThat(cache.get("store_problem").asText()).isEqualTo("disk_full");
      assertThat(edge.node().metrics().registry().scrape().stream()
          .filter(m -> m.getMetadata().getPrometheusName().equals("edgeray_cache_store_failures"))
          .flatMap(m -> m.getDataPoints().stream())
          .anyMatch(p -> p.getLabels().get("reason").equals("disk_full"))).isTrue();
      assertThat(entryFiles()).isEmpty();
    }
  }
}
