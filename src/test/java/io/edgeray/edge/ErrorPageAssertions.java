package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.RawClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks edge-made error pages: status, page, Proxy-Status, and the log line with the same ray id. */
final class ErrorPageAssertions {
  private static final Pattern RAY_ON_PAGE = Pattern.compile("Ray ID: <code>([0-9a-f]{16}-T1)</code>");

  private ErrorPageAssertions() {}

  /**
   * Checks an error page against its ray: status, headers, title, the ray id in the header, on the
   * page and in the access-log line, and the line's status, failure and Proxy-Status; returns the line.
   */
  static JsonNode assertErrorPage(EdgeExtension edge, RawClient.Response r, int status, String title, String proxyStatus,
      String failure) throws Exception {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("content-type")).isEqualTo("text/html; charset=UTF-8");
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=" + proxyStatus);
    assertThat(r.body()).contains(title);
    String ray = r.header("edge-ray");
    assertThat(ray).matches("[0-9a-f]{16}-T1");
    Matcher m = RAY_ON_PAGE.matcher(r.body());
    assertThat(m.find()).as("ray id on the page").isTrue();
    assertThat(m.group(1)).isEqualTo(ray);
    JsonNode line = edge.logLine(ray);
    assertThat(line.get("status").asInt()).isEqualTo(status);
    assertThat(line.get("failure").asText()).isEqualTo(failure);
    assertThat(line.get("proxy_status").asText()).isEqualTo(proxyStatus);
    return line;
  }

  /** A refusal of a bad request: an error page that closes the connection and never tried an origin. */
  static JsonNode assertRefused(EdgeExtension edge, RawClient.Response r, int status, String title, String failure) throws Exception {
    JsonNode line = assertErrorPage(edge, r, status, title, "http_request_error", failure);
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(line.get("attempts")).isEmpty();
    return line;
  }

  static String zone(int port) {
    return "  - name: shop.example\n"
        + "    origin_ports: { http: " + port + " }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }
}
