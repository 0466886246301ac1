package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory tier's bodies: off the heap, sent without a copy, freed when the tier and the last reader let go. */
class MemoryTierTest {
  private final MemoryTier tier = new MemoryTier(1 << 20, CacheMetrics.unregistered());

  private static final MemoryTier BODIES = new MemoryTier(1 << 20, CacheMetrics.unregistered());

  private static MemoryTier.Entry entry(String key, String body) {
    EntryMeta meta = new EntryMeta(key, key, "shop.example", "https://shop.example/" + key, 200,
        headers("Cache-Control", "max-age=60"), T0, T0, List.of(), List.of(), java.util.Set.of(), body.length());
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    return new MemoryTier.Entry(meta, BODIES.copyOf(bytes, bytes.length));
  }

  private static String text(ByteBuf b) {
    try {
      return b.toString(StandardCharsets.US_ASCII);
    } finally {
      b.release();
    }
  }

  @Test
  void aHitIsASliceOfTheStoredDirectBufferAndGivesItsCountBack() {
    MemoryTier.Entry e = entry("a", "hello, stored world");
    tier.put(e);
    StoredBody.InMemory body = MemoryTier.open(tier.get("a"));
    ByteBuf chunk = body.read(7, 6, UnpooledByteBufAllocator.DEFAULT);
    assertThat(chunk.isDirect()).isTrue();
    assertThat(chunk.hasMemoryAddress()).as("written to the socket from where it is stored").isTrue();
    assertThat(e.body().refCnt()).as("the tier, the reader, the chunk in flight").isEqualTo(3);
    assertThat(text(chunk)).isEqualTo("stored");
    body.close();
    body.close(); // twice is once
    assertThat(e.body().refCnt()).isEqualTo(1);
  }

  @Test
  void anObjectPurgedWhileBeingSentIsFreedWhenItsLastReaderCloses() {
    MemoryTier.Entry e = entry("a", "still being sent");
    tier.put(e);
    StoredBody.InMemory body = MemoryTier.open(tier.get("a"));
    tier.remove("a");
    assertThat(tier.get("a")).isNull();
    assertThat(text(body.read(0, 100, UnpooledByteBufAllocator.DEFAULT))).isEqualTo("still being sent");
    body.close();
    assertThat(e.body().refCnt()).isZero();
  }

  @Test
  void aLookupThatMeetsABodyJustReleasedIsAMissNotFreedMemory() {
    MemoryTier.Entry e = entry("a", "gone");
    tier.put(e);
    MemoryTier.Entry seen = tier.get("a"); // a lookup finds the entry...
    tier.remove("a"); // ...an eviction on another thread releases it before the lookup takes its count
    assertThat(MemoryTier.open(seen)).isNull();
    assertThat(e.body().refCnt()).isZero();
  }

  @Test
  void evictedAndReplacedObjectsAreFreed() {
    MemoryTier small = new MemoryTier(16 * 1024, CacheMetrics.unregistered());
    MemoryTier.Entry first = entry("a", "x".repeat(6000));
    small.put(first);
    MemoryTier.Entry replacement = entry("a", "y".repeat(6000));
    small.put(replacement);
    assertThat(first.body().refCnt()).as("replaced").isZero();
    for (int i = 0; i < 20; i++) small.put(entry("k" + i, "z".repeat(6000)));
    small.cleanUp();
    assertThat(replacement.body().refCnt()).as("evicted by the twenty after it").isZero();
    assertThat(small.bytes()).isLessThanOrEqualTo(16 * 1024);
  }

  @Test
  void aTierLargerThanHalfTheDirectMemoryIsLoweredToHalf() {
    assertThat(MemoryTier.within(256L << 20, 2L << 30)).isEqualTo(256L << 20);
    assertThat(MemoryTier.within(256L << 20, 256L << 20)).isEqualTo(128L << 20);
    assertThat(MemoryTier.within(64L << 20, -1)).as("no limit known").isEqualTo(64L << 20);
  }

  @Test
  void aNewHeadKeepsTheBodyWithOneCountAndTheReadersOfTheOldHeadStillRead() {
    MemoryTier.Entry e = entry("a", "body");
    tier.put(e);
    StoredBody.InMemory reader = MemoryTier.open(tier.get("a"));
    EntryMeta revalidated = e.meta().withHeaders(headers("Cache-Control", "max-age=120"), T0.plusSeconds(60), T0.plusSeconds(60));
    assertThat(tier.replaceHead(revalidated)).isTrue();
    assertThat(tier.get("a").meta().headers().get("Cache-Control")).isEqualTo("max-age=120");
    assertThat(tier.get("a").body()).isSameAs(e.body());
    assertThat(ByteBufUtil.getBytes(tier.get("a").body())).isEqualTo("body".getBytes(StandardCharsets.US_ASCII));
    assertThat(text(reader.read(0, 10, UnpooledByteBufAllocator.DEFAULT))).isEqualTo("body");
    reader.close();
    assertThat(e.body().refCnt()).isEqualTo(1);
    tier.remove("a");
    assertThat(e.body().refCnt()).isZero();
    assertThat(tier.replaceHead(revalidated)).as("nothing left to give a new head").isFalse();
  }
}
