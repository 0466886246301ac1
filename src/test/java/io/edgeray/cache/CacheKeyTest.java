package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.cache.CacheKeySettings.QueryMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  private static CacheKey key(CacheRequest r, QueryMode q, List<String> headers, List<String> cookies) {
    return CacheKey.of(r, new CacheKeySettings(q, headers, cookies));
  }

  @Test
  void theKeyIsSchemeHostPathAndQuery() {
    CacheKey k = CacheKey.of(new CacheRequest("shop.example", "GET", "HTTPS", "Shop.Example", "/a/b?x=1", CacheFixtures.headers()),
        CacheKeySettings.DEFAULTS);
    assertThat(k.url()).isEqualTo("https://shop.example/a/b?x=1");
    assertThat(k.primary()).isEqualTo(k.url());
  }

  @Test
  void theQueryCanBeIgnoredOrSorted() {
    assertThat(key(get("/a?b=2&a=1"), QueryMode.IGNORE, List.of(), List.of()).url()).isEqualTo("https://shop.example/a");
    assertThat(key(get("/a?b=2&a=1"), QueryMode.SORT, List.of(), List.of()).url())
        .isEqualTo(key(get("/a?a=1&b=2"), QueryMode.SORT, List.of(), List.of()).url());
    assertThat(key(get("/a?b=2&a=1"), QueryMode.INCLUDE, List.of(), List.of()).url())
        .isNotEqualTo(key(get("/a?a=1&b=2"), QueryMode.INCLUDE, List.of(), List.of()).url());
  }

  @Test
  void chosenHeadersAndCookiesAreInTheKey() {
    var s = List.of("Accept-Language");
    var c = List.of("lang");
    CacheKey en = key(get("/", "Accept-Language", "en", "Cookie", "lang=en; session=1"), QueryMode.INCLUDE, s, c);
    CacheKey otherSession = key(get("/", "Accept-Language", "en", "Cookie", "session=2; lang=en"), QueryMode.INCLUDE, s, c);
    CacheKey nl = key(get("/", "Accept-Language", "nl", "Cookie", "lang=en"), QueryMode.INCLUDE, s, c);
    CacheKey nlCookie = key(get("/", "Accept-Language", "en", "Cookie", "lang=nl"), QueryMode.INCLUDE, s, c);
    assertThat(en.primary()).isEqualTo(otherSession.primary());
    assertThat(en.primary()).isNotEqualTo(nl.primary()).isNotEqualTo(nlCookie.primary());
    assertThat(en.url()).isEqualTo(nl.url());
  }

  @Test
  void varyValuesMakeTheStorageKeyOfOneVariant() {
    var names = VaryKey.names(CacheFixtures.headers("Vary", "Accept-Encoding, accept-language", "Vary", "Accept-Encoding"));
    assertThat(names).containsExactly("accept-encoding", "accept-language");
    var values = VaryKey.values(names, CacheFixtures.headers("Accept-Encoding", "gzip,  br"));
    assertThat(values).containsExactly("gzip,br", "");
    assertThat(VaryKey.storageKey("p", names, values)).isEqualTo("p\nv:accept-encoding=gzip,br\nv:accept-language=");
  }
}
