package io.edgeray.doctor;

import static io.edgeray.doctor.LoopbackScenariosTest.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Check 6 on a real edge's access log: the 52x it wrote for the host, grouped per origin and code, with rays. */
class HistoryCheckTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("DOC");
  private static final Pattern RAY = Pattern.compile("(?i)edge-ray: (\\S+)");

  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void refusalsTheEdgeLoggedAreCountedPerOriginAndCodeWithTheirRayIds() throws Exception {
    int http = Ports.closedPort();
    try (DoctorScenario s = DoctorScenario.of(edge, dir, LoopbackScenariosTest.zone(http, Ports.closedPort(), "127.0.0.1", "")).withEdge()) {
      Path config = s.doctorConfig();
      int edgePort = Integer.parseInt(Files.readString(config).replaceAll("(?s).*http: 127\\.0\\.0\\.1:(\\d+).*", "$1"));
      List<String> rays = new ArrayList<>();
      for (int i = 0; i < 3; i++) rays.add(get(edgePort));
      Await.until(Duration.ofSeconds(5), () -> logHas(s.accessLog(), rays), "three log lines");

      Report r = s.examine("http://shop.example/");

      CheckResult history = check(r, "history");
      assertThat(history.outcome()).isEqualTo(Outcome.WARNING);
      assertThat(history.summary()).isEqualTo("3 answers 520-530 for shop.example in the last hour");
      assertThat(history.evidence().get(0)).matches("3 x 521 \\(CONNECTION_REFUSED\\) from origin \\S*127\\.0\\.0\\.1:" + http
          + ", first \\S+, last \\S+, rays \\[" + rays.get(0) + ", " + rays.get(1) + ", " + rays.get(2) + "]");
      assertThat(r.rays()).hasSize(4).containsAll(rays); // the doctor's own ray through the edge first
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void requestsTheEdgesOwnRulesRefusedAreCountedPerRuleWithTheirTopClients() throws Exception {
    int http = Ports.closedPort();
    String zones = LoopbackScenariosTest.zone(http, Ports.closedPort(), "127.0.0.1", "")
        + "    firewall:\n      - { id: no-root, expression: 'http.request.uri.path == \"/\"', action: block }\n";
    try (DoctorScenario s = DoctorScenario.of(edge, dir, zones).withEdge()) {
      List<String> rays = new ArrayList<>();
      for (int i = 0; i < 2; i++) rays.add(get(edge.httpPort()));
      Await.until(Duration.ofSeconds(5), () -> logHas(s.accessLog(), rays), "two log lines");

      Report r = s.examine("http://shop.example/");

      CheckResult history = check(r, "history");
      assertThat(history.outcome()).isEqualTo(Outcome.WARNING);
      assertThat(history.summary()).startsWith("no 52x for shop.example in the last hour (")
          .endsWith(" log lines read); the edge's own rules refused 2 requests"); // the doctor's own probe is not counted
      assertThat(history.evidence()).containsExactly(
          "the edge's rule no-root (firewall, 403) refused 2 requests; top clients [127.0.0.1 (2)]");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void visitorsServedStaleCopiesAreReportedWithTheOriginsFailureCode() throws Exception {
    com.sun.net.httpserver.HttpServer origin = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, 0), 8);
    origin.createContext("/", ex -> {
      byte[] body = "<h1>home</h1>".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Cache-Control", "max-age=0");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    origin.start();
    try {
      edge.start("", "  - name: shop.example\n    origin_ports: { http: " + origin.getAddress().getPort() + " }\n"
          + "    records:\n      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n");
      edge.logLine(get(edge.httpPort()));
    } finally {
      origin.stop(0); // refused from now on: the next visitors get the stored copy
    }
    List<String> rays = new ArrayList<>();
    for (int i = 0; i < 2; i++) rays.add(get(edge.httpPort()));
    for (String ray : rays) assertThat(edge.logLine(ray).path("cache").path("status").asText()).isEqualTo("STALE");

    CheckResult history = HistoryCheck.run(edge.log().file().toString(), null, "shop.example", java.time.Clock.systemUTC()).check();

    assertThat(history.outcome()).isEqualTo(Outcome.WARNING);
    assertThat(history.summary()).endsWith("; 2 requests got stale copies because the origin failed");
    assertThat(history.evidence()).containsExactly(
        "1 visitors got stale copies because the origin answered 521 (2 requests; top clients [127.0.0.1 (2)])");
  }

  private static boolean logHas(Path log, List<String> rays) {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return rays.stream().allMatch(text::contains);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String get(int port) throws Exception {
    try (Socket sock = new Socket()) {
      sock.connect(new InetSocketAddress(Ports.LOOPBACK, port), 2000);
      sock.setSoTimeout(5000);
      sock.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      sock.getInputStream().transferTo(all);
      Matcher m = RAY.matcher(all.toString(StandardCharsets.UTF_8));
      if (!m.find()) throw new AssertionError("no Edge-Ray in " + all);
      return m.group(1);
    }
  }
}
