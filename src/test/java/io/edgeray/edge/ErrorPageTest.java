package io.edgeray.edge;

import io.edgeray.failure.EdgeRefusal;
import io.edgeray.failure.EdgeError;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.failure.OriginFailure;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every code the edge can answer with has its page: a new failure or refusal without texts, or a
 * texts file that no longer parses, fails here instead of on a visitor's request.
 */
class ErrorPageTest {

  /** An error known only by its status, to look up the status's shared texts. */
  private record StatusOnly(int status) implements EdgeError {
    @Override public int code() { return status; }
    @Override public String title() { return ""; }
    @Override public String proxyStatus() { return ""; }
    @Override public Culprit culprit() { return Culprit.EDGE; }
    @Override public int retryAfterSeconds() { return 0; }
    @Override public String name() { return "STATUS_" + status; }
  }

  static Stream<EdgeError> everyError() {
    return Stream.concat(Stream.of(OriginFailure.values()), Stream.of(EdgeRefusal.values()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyError")
  void everyErrorHasAPageWithItsCodeTitleAndBothAudiencesTexts(EdgeError error) {
    FullHttpResponse res = ErrorPage.render(new ErrorPage.Facts(error, "0123456789abcdef-T1", "T1", "shop.example",
        "192.0.2.7", Instant.parse("2026-11-23T12:00:00Z"), null), false, "edgeray-T1");
    try {
      String html = res.content().toString(StandardCharsets.UTF_8);
      assertThat(res.status().code()).isEqualTo(error.status());
      assertThat(html).contains("Error " + error.code(), error.title(), "0123456789abcdef-T1");
      assertThat(html).as("texts for the visitor and the owner").contains("What happened?", "What can I do?");
      assertThat(html).doesNotContain("{host}", "{ray}", "{{", "null");
      // a 1xxx refusal must have texts of its own: its status's (a 503, a 530) would tell another story
      assertThat(ErrorPage.texts(error)).as("texts for code " + error.code())
          .containsKeys("visitor_what", "visitor_do", "owner_what", "owner_do");
      java.util.Map<String, String> statusTexts = ErrorPage.texts(new StatusOnly(error.status()));
      if (error.code() != error.status() && statusTexts != null) {
        assertThat(ErrorPage.texts(error).get("owner_what")).isNotEqualTo(statusTexts.get("owner_what"));
      }
    } finally {
      res.release();
    }
  }
}
