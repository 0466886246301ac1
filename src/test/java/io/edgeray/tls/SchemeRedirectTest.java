package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.config.SslMode;
import io.edgeray.config.ZoneTls;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.H2Client;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** always_use_https sends HTTP visitors to HTTPS; ssl: off sends HTTPS visitors to HTTP. */
class SchemeRedirectTest {
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("RDR").https().perClass();
  @TempDir static Path dir;
  static TestPki pki;
  static final List<FaultyOrigin> origins = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    int http = origin(FaultyOrigin.start().summaryEcho("plain"));
    String cert = pki.issue(List.of("always.test", "off.test")).yaml();
    edge.start(
        EdgeExtension.zone("always.test", "ssl: flexible\nalways_use_https: true\norigin_ports: { http: " + http + " }\n" + cert)
        + EdgeExtension.zone("off.test", "ssl: off\norigin_ports: { http: " + http + " }\n" + cert));
  }

  @AfterAll
  static void stop() {
    origins.forEach(FaultyOrigin::close);
  }

  @Test
  void alwaysUseHttpsRedirectsAnHttpVisitorWithPathAndQuery() throws Exception {
    RawClient.Response res = edge.get("always.test", "/cart?item=7");
    assertThat(res.status()).isEqualTo(301);
    assertThat(res.header("location")).isEqualTo("https://always.test:" + edge.httpsPort() + "/cart?item=7");
    assertThat(res.header("content-length")).isEqualTo("0");
    JsonNode line = edge.logLine(res.header("edge-ray"));
    assertThat(line.get("status").asInt()).isEqualTo(301);
    assertThat(line.get("failure").isNull()).isTrue();
    assertThat(line.get("attempts")).isEmpty();
  }

  @Test
  void alwaysUseHttpsServesHttpsVisitorsOverBothProtocols() throws Exception {
    RawClient.Response h1 = edge.getTls(pki.clientContext(), "always.test", "/");
    assertThat(h1.status()).isEqualTo(200);
    assertThat(h1.body()).contains(" xfp=https ");
    try (H2Client h2 = new H2Client(edge.httpsPort(), "always.test", pki.ca())) {
      assertThat(h2.send("GET", "always.test", "/", null).body()).isEqualTo(h1.body());
    }
  }

  @Test
  void modeOffRedirectsHttpsVisitorsToHttpAndServesHttp() throws Exception {
    RawClient.Response h1 = edge.getTls(pki.clientContext(), "off.test", "/a?b=c");
    assertThat(h1.status()).isEqualTo(301);
    assertThat(h1.header("location")).isEqualTo("http://off.test:" + edge.httpPort() + "/a?b=c");
    try (H2Client h2 = new H2Client(edge.httpsPort(), "off.test", pki.ca())) {
      RawClient.Response viaH2 = h2.send("GET", "off.test", "/a?b=c", null);
      assertThat(viaH2.status()).isEqualTo(301);
      assertThat(viaH2.header("location")).isEqualTo(h1.header("location"));
    }
    RawClient.Response plain = edge.get("off.test", "/");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.body()).contains(" xfp=http ");
  }

  @Test
  void theRedirectTargetIsWorkedOutFromTheListenerPorts() {
    ZoneTls always = new ZoneTls(SslMode.FULL, true, null, null);
    assertThat(EdgeTls.redirect(always, false, "a.test", "/x", 80, 443)).isEqualTo("https://a.test/x");
    assertThat(EdgeTls.redirect(always, false, "a.test", "/x", 80, -1)).as("no HTTPS listener: serve").isNull();
    assertThat(EdgeTls.redirect(always, true, "a.test", "/x", 80, 443)).isNull();
    ZoneTls off = new ZoneTls(SslMode.OFF, false, null, null);
    assertThat(EdgeTls.redirect(off, true, "a.test", "*", 80, 443)).isEqualTo("http://a.test/");
    assertThat(EdgeTls.redirect(off, false, "a.test", "/", 80, 443)).isNull();
  }

  /** Keeps the origin to close after the class; returns its port. */
  private static int origin(FaultyOrigin o) {
    origins.add(o);
    return o.port();
  }
}
