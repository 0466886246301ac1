package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.failure.EdgeError;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.failure.OriginFailure;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled pages say exactly what the renderer before them said ({@link LegacyErrorPage}),
 * byte for byte and header for header, for every error, as HTML and as JSON, with ordinary and
 * with awkward facts: no host, markup and quotes in the host, non-ASCII text, an owner detail.
 */
class CompiledErrorPageTest {
  private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

  static Stream<Arguments> everyErrorWithEveryKindOfFacts() {
    List<Arguments> all = new ArrayList<>();
    List<EdgeError> errors = new ArrayList<>(List.of(OriginFailure.values()));
    errors.addAll(List.of(EdgeRefusal.values()));
    for (EdgeError e : errors) {
      all.add(Arguments.of(e.name() + " plain", new ErrorPage.Facts(e, "0123456789abcdef-T1", "T1", "shop.example",
          "192.0.2.7", NOON, null)));
      all.add(Arguments.of(e.name() + " no host", new ErrorPage.Facts(e, "0123456789abcdef-T1", "T1", null,
          "2001:db8::7", Instant.parse("2026-01-02T03:04:05.678901Z"), null)));
      all.add(Arguments.of(e.name() + " empty host, detail", new ErrorPage.Facts(e, "0123456789abcdef-T1", "T1", "",
          "192.0.2.7", NOON, "connect to origin: Connection refused")));
      all.add(Arguments.of(e.name() + " markup everywhere", new ErrorPage.Facts(e, "0123456789abcdef-<T>", "n&\"'<>",
          "<script>alert('x')</script>&amp;\"{ray}", "'\"<>&", NOON, "<b>bold</b> & \"quoted\" 'single' {host}")));
      all.add(Arguments.of(e.name() + " non-ASCII", new ErrorPage.Facts(e, "0123456789abcdef-ZÜR", "ZÜR",
          "bücher.example", "192.0.2.7", Instant.parse("0999-12-31T23:59:59Z"),
          "certificate for 日本.example, 😀 € é, a lone surrogate \uD800 and a tab\tand a\nnewline")));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyErrorWithEveryKindOfFacts")
  void compiledHtmlPageIsByteForByteTheLegacyOne(String name, ErrorPage.Facts facts) {
    assertSameAnswer(facts, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyErrorWithEveryKindOfFacts")
  void compiledJsonAnswerIsByteForByteTheLegacyOne(String name, ErrorPage.Facts facts) {
    assertSameAnswer(facts, true);
  }

  @Test
  void pageBodyIsOnePooledBufferOfItsExactSize() {
    FullHttpResponse res = ErrorPage.render(new ErrorPage.Facts(OriginFailure.CONNECTION_REFUSED, "0123456789abcdef-T1",
        "T1", "shop.example", "192.0.2.7", NOON, null), false, "edgeray-T1", PooledByteBufAllocator.DEFAULT);
    try {
      assertThat(res.content().alloc()).isSameAs(PooledByteBufAllocator.DEFAULT);
      assertThat(res.content().readableBytes()).isEqualTo(res.content().maxCapacity());
      assertThat(res.headers().getInt("content-length")).isEqualTo(res.content().readableBytes());
    } finally {
      res.release();
    }
  }

  @Test
  void proxyStatusFollowsAChangedPseudonym() {
    ErrorPage.Facts f = new ErrorPage.Facts(OriginFailure.CONNECTION_REFUSED, "0123456789abcdef-T1", "T1", "shop.example",
        "192.0.2.7", NOON, null);
    for (String pseudonym : List.of("edgeray-T1", "other-node", "edgeray-T1")) {
      FullHttpResponse res = ErrorPage.render(f, false, pseudonym);
      try {
        assertThat(res.headers().get("proxy-status")).isEqualTo(pseudonym + "; error=connection_refused");
      } finally {
        res.release();
      }
    }
  }

  private static void assertSameAnswer(ErrorPage.Facts facts, boolean json) {
    FullHttpResponse legacy = LegacyErrorPage.render(facts, json, "edgeray-T1");
    FullHttpResponse compiled = ErrorPage.render(facts, json, "edgeray-T1", PooledByteBufAllocator.DEFAULT);
    try {
      assertThat(ByteBufUtil.getBytes(compiled.content())).isEqualTo(ByteBufUtil.getBytes(legacy.content()));
      assertThat(compiled.status()).isEqualTo(legacy.status());
      assertThat(compiled.status().reasonPhrase()).isEqualTo(legacy.status().reasonPhrase());
      assertThat(headers(compiled)).isEqualTo(headers(legacy));
    } finally {
      legacy.release();
      compiled.release();
    }
  }

  private static Map<String, List<String>> headers(FullHttpResponse r) {
    Map<String, List<String>> m = new TreeMap<>();
    for (String name : r.headers().names()) m.put(name.toLowerCase(), r.headers().getAll(name));
    return m;
  }
}
