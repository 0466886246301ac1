package io.edgeray.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.failure.OriginFailure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer thread's reused encoder writes every line byte for byte as a generator of its own would. */
class AccessLogLineTest {
  private static RaySummary ray(Instant time, int status, OriginFailure failure, Map<String, Object> fields) {
    return new RaySummary(time, "8f3a1c0d2b4e6a71-AMS", "AMS", "203.0.113.7", "GET", "shop.example", "/a?b=\"c\"",
        "shop.example", status, failure == null ? status : 0, failure, failure == null ? null : "refused: é", null,
        "127.0.0.1:8000", List.of(new Attempt("127.0.0.1:8000", null, failure, null, 0, false)), 0, 1024, 1.7344, 0.2,
        failure == null ? 1.5 : -1, "curl/8.5.0", false, fields);
  }

  private static String alone(RaySummary r) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogLine.write(r, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aReusedEncoderWritesTheSameLinesAsAGeneratorPerLine() throws Exception {
    List<RaySummary> rays = List.of(
        ray(Instant.parse("2026-12-01T15:40:18Z"), 200, null, Map.of()), // no fraction: none written
        ray(Instant.parse("2026-12-01T15:40:18.120Z"), 200, null, Map.of()), // millis: three digits
        ray(Instant.parse("2026-12-01T15:40:18.000120Z"), 521, OriginFailure.CONNECTION_REFUSED, Map.of()), // micros
        ray(Instant.parse("2026-12-01T15:40:18.000000007Z"), 200, null, Map.of("cache", Map.of("status", "miss"))),
        ray(Instant.parse("2026-12-01T15:40:19.999999999Z"), 200, null, Map.of()), // the next second
        ray(Instant.parse("2026-12-01T15:40:18.5Z"), 200, null, Map.of())); // and back: clocks step
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    AccessLogLine.Encoder encoder = new AccessLogLine.Encoder(lines);
    StringBuilder expected = new StringBuilder();

    for (RaySummary r : rays) {
      encoder.write(r);
      expected.append(alone(r));
    }

    assertThat(lines.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    assertThat(expected.toString().lines()).hasSize(rays.size())
        .first().asString().startsWith("{\"time\":\"2026-12-01T15:40:18Z\",\"ray\":\"8f3a1c0d2b4e6a71-AMS\"");
    assertThat(expected.toString().lines().toList().get(2)).startsWith("{\"time\":\"2026-12-01T15:40:18.000120Z\"");
  }

  /** The field names and their order are what log tools parse: this line is the format, byte for byte. */
  @Test
  void aProxiedRayIsOneJsonLineWithItsFieldsInThisOrder() throws Exception {
    RaySummary r = ray(Instant.parse("2026-12-01T15:40:18.120Z"), 200, null, Map.of("cache", Map.of("status", "HIT")));

    assertThat(alone(r)).isEqualTo("{\"time\":\"2026-12-01T15:40:18.120Z\",\"ray\":\"8f3a1c0d2b4e6a71-AMS\","
        + "\"node\":\"AMS\",\"client_ip\":\"203.0.113.7\",\"method\":\"GET\","
        + "\"host\":\"shop.example\",\"path\":\"/a?b=\\\"c\\\"\",\"zone\":\"shop.example\","
        + "\"status\":200,\"origin_status\":200,\"failure\":null,\"proxy_status\":null,"
        + "\"detail\":null,\"origin_addr\":\"127.0.0.1:8000\","
        + "\"attempts\":[{\"origin\":\"127.0.0.1:8000\",\"failure\":null,\"connect_ms\":0,"
        + "\"reused\":false}],\"bytes_in\":0,\"bytes_out\":1024,"
        + "\"timings\":{\"total_ms\":1.734,\"connect_ms\":0.2,\"ttfb_ms\":1.5},"
        + "\"user_agent\":\"curl/8.5.0\",\"cache\":{\"status\":\"HIT\"}}\n");
  }
}
