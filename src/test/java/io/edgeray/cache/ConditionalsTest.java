package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionalsTest {
  private static final io.netty.handler.codec.http.HttpHeaders STORED = headers(
      "ETag", "\"v1\"", "Last-Modified", date(T0), "Cache-Control", "max-age=60", "Content-Length", "5", "Content-Type", "text/plain");

  @Test
  void aMatchingIfNoneMatchIsAnswered304() {
    assertThat(Conditionals.notModified(headers("If-None-Match", "\"v0\", \"v1\""), STORED)).isTrue();
    assertThat(Conditionals.notModified(headers("If-None-Match", "W/\"v1\""), STORED)).isTrue();
    assertThat(Conditionals.notModified(headers("If-None-Match", "*"), STORED)).isTrue();
    assertThat(Conditionals.notModified(headers("If-None-Match", "\"v2\""), STORED)).isFalse();
  }

  @Test
  void ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() {
    assertThat(Conditionals.notModified(headers("If-None-Match", "\"v2\"", "If-Modified-Since", date(T0)), STORED)).isFalse();
  }

  @Test
  void ifModifiedSinceAtOrAfterLastModifiedIsAnswered304() {
    assertThat(Conditionals.notModified(headers("If-Modified-Since", date(T0)), STORED)).isTrue();
    assertThat(Conditionals.notModified(headers("If-Modified-Since", date(T0.minusSeconds(1))), STORED)).isFalse();
  }

  @Test
  void theNotModifiedHeadersCarryTheValidatorsButNoBodyFields() {
    var h = Conditionals.notModifiedHeaders(STORED);
    assertThat(h.get("ETag")).isEqualTo("\"v1\"");
    assertThat(h.get("Cache-Control")).isEqualTo("max-age=60");
    assertThat(h.contains("Content-Length")).isFalse();
  }

  @Test
  void theEdgeRevalidatesWithTheStoredValidators() {
    var h = Conditionals.revalidationHeaders(STORED);
    assertThat(h.get("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(h.get("If-Modified-Since")).isEqualTo(date(T0));
    assertThat(Conditionals.revalidationHeaders(headers("Cache-Control", "max-age=1")).isEmpty()).isTrue();
  }

  @Test
  void aNotModifiedReplacesTheStoredFieldsItSendsButNotContentLength() {
    var merged = Conditionals.merge(STORED, headers("Cache-Control", "max-age=600", "Date", date(T0.plusSeconds(100)),
        "Content-Length", "0", "X-New", "yes"));
    assertThat(merged.get("Cache-Control")).isEqualTo("max-age=600");
    assertThat(merged.get("Content-Length")).isEqualTo("5");
    assertThat(merged.get("X-New")).isEqualTo("yes");
    assertThat(merged.get("Content-Type")).isEqualTo("text/plain");
  }

  @Test
  void aNotModifiedWithAnotherEtagDoesNotValidateTheStoredCopy() {
    assertThat(Conditionals.validates(STORED, headers("ETag", "\"v2\""))).isFalse();
    assertThat(Conditionals.validates(STORED, headers("ETag", "W/\"v1\""))).isTrue();
    assertThat(Conditionals.validates(STORED, headers())).isTrue();
  }
}
