package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.headers;
import static io.edgeray.cache.CacheFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidationTest {
  @Test
  void anUnsafeRequestInvalidatesItsTargetAndSameHostLocations() {
    var urls = Invalidation.urls(request("POST", "/cart?x=1"), 201,
        headers("Location", "/cart/7", "Content-Location", "https://shop.example/cart/7/view"), CacheKeySettings.DEFAULTS);
    assertThat(urls).containsExactly("https://shop.example/cart?x=1", "https://shop.example/cart/7",
        "https://shop.example/cart/7/view");
  }

  @Test
  void aLocationOnAnotherHostIsLeftAlone() {
    var urls = Invalidation.urls(request("PUT", "/a"), 200, headers("Location", "https://evil.example/a"), CacheKeySettings.DEFAULTS);
    assertThat(urls).containsExactly("https://shop.example/a");
  }

  @Test
  void anErrorResponseInvalidatesNothing() {
    assertThat(Invalidation.urls(request("DELETE", "/a"), 500, headers(), CacheKeySettings.DEFAULTS)).isEmpty();
  }

  @Test
  void safeMethodsInvalidateNothing() {
    assertThat(Invalidation.urls(request("GET", "/a"), 200, headers(), CacheKeySettings.DEFAULTS)).isEmpty();
    assertThat(Invalidation.unsafe("PATCH")).isTrue();
    assertThat(Invalidation.unsafe("OPTIONS")).isFalse();
  }
}
