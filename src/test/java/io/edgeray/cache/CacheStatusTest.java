package io.edgeray.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

class CacheStatusTest {
  @Test
  void aHitSaysHitAndTheTtlLeft() {
    assertThat(new CacheStatus("AMS", EdgeCacheStatus.HIT, true, null, 0, 42L, false, false, null).render())
        .isEqualTo("edgeray-AMS; hit; ttl=42");
  }

  @Test
  void aStoredMissSaysWhyItWentForwardAndThatItWasStored() {
    assertThat(new CacheStatus("AMS", EdgeCacheStatus.MISS, false, "uri-miss", 200, null, true, false, null).render())
        .isEqualTo("edgeray-AMS; fwd=uri-miss; fwd-status=200; stored");
  }

  @Test
  void ourMemberIsAddedAfterTheOriginsAndTheShortStatusIsSet() {
    var h = new DefaultHttpHeaders().add("Cache-Status", "origin-cache; hit");
    new CacheStatus("AMS", EdgeCacheStatus.STALE, true, null, 0, -5L, false, true, "always-online 521").applyTo(h);
    assertThat(h.getAll("Cache-Status")).containsExactly("origin-cache; hit",
        "edgeray-AMS; hit; ttl=-5; collapsed; detail=\"always-online 521\"");
    assertThat(h.get("Edge-Cache-Status")).isEqualTo("STALE");
  }
}
