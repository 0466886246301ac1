package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.get;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.TestClock;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A background refresh is claimed once, by its own token; a forged or used token claims nothing. */
class RefreshTokensTest {
  private final CacheFixtures.TestTimer timer = new CacheFixtures.TestTimer();
  private final CacheMetrics metrics = CacheMetrics.unregistered();
  private final HttpCache cache = new HttpCache(CacheStorage.inMemory(64 << 20, 1 << 20, metrics), metrics, new TestClock(T0),
      "AMS", timer, Duration.ofSeconds(5));
  private final RefreshTokens tokens = cache.refreshes();

  private OriginFetch someFetch() {
    return ((Lookup.Miss) cache.lookup(CacheSettings.DEFAULTS, get("/r"))).fetch();
  }

  @Test
  void aTokenClaimsItsRefreshOnceAndIsTakenOffTheRequest() {
    OriginFetch refresh = someFetch();
    String token = tokens.handOut(refresh);
    HttpHeaders first = headers(RefreshTokens.HEADER, token, "Accept", "text/html");
    HttpHeaders replayed = headers(RefreshTokens.HEADER, token);

    assertThat(token).matches("[0-9a-f]{32}");
    assertThat(tokens.takeFrom(first)).isSameAs(refresh);
    assertThat(first.contains(RefreshTokens.HEADER)).isFalse();
    assertThat(first.get("Accept")).isEqualTo("text/html");
    assertThat(tokens.takeFrom(replayed)).as("a used token is a visitor's").isNull();
    assertThat(replayed.contains(RefreshTokens.HEADER)).as("and is never forwarded either").isFalse();
  }

  @Test
  void aForgedTokenClaimsNothingAndARequestWithoutOneIsLeftAlone() {
    tokens.handOut(someFetch());
    assertThat(tokens.takeFrom(headers(RefreshTokens.HEADER, "00000000000000000000000000000000"))).isNull();
    assertThat(tokens.takeFrom(headers("Accept", "*/*"))).isNull();
  }
}
