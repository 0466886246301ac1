package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks an edge-made refusal: status, page, Proxy-Status, and the log line with the same ray id. */
final class RefusalPage {
  private static final Pattern RAY_ON_PAGE = Pattern.compile("Ray ID: <code>([0-9a-f]{16}-T1)</code>");

  private RefusalPage() {}

  /** Returns the ray's access-log line after checking it names the same status and failure. */
  static JsonNode assertRefused(Edge edge, Edge.Response r, int status, String title, String failure) throws Exception {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("content-type")).isEqualTo("text/html; charset=UTF-8");
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=http_request_error");
    assertThat(r.body()).contains(title);
    String ray = r.header("edge-ray");
    assertThat(ray).matches("[0-9a-f]{16}-T1");
    Matcher m = RAY_ON_PAGE.matcher(r.body());
    assertThat(m.find()).as("ray id on the page").isTrue();
    assertThat(m.group(1)).isEqualTo(ray);
    JsonNode line = edge.logLine(ray);
    assertThat(line.get("status").asInt()).isEqualTo(status);
    assertThat(line.get("failure").asText()).isEqualTo(failure);
    assertThat(line.get("proxy_status").asText()).isEqualTo("http_request_error");
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
