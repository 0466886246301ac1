package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import io.edgeray.testing.TestPki;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: failed visitor TLS handshakes are counted in edgeray_tls_handshake_failures_total, by reason. */
class HandshakeFailureMetricTest {
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("TLSM").https().perClass();
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    TestPki.Leaf cert = new TestPki(dir.resolve("pki")).issue("metric.test"); // an EC key
    edge.start(EdgeExtension.zone("metric.test",
        "ssl: flexible\norigin_ports: { http: " + Ports.closedPort() + " }\n" + cert.yaml()));
  }

  @Test
  void aHandshakeWithoutSniIsCountedAsNoSni() throws Exception {
    double before = failures("no_sni");
    assertThatThrownBy(() -> handshake(null, null, null)).isInstanceOf(java.io.IOException.class);
    Await.until(Duration.ofSeconds(5), () -> failures("no_sni") == before + 1, "no_sni to be counted");
  }

  @Test
  void aHandshakeForANameNoCertificateCoversIsCountedAsUnknownName() throws Exception {
    double before = failures("unknown_name");
    assertThatThrownBy(() -> handshake("other.test", null, null)).isInstanceOf(java.io.IOException.class);
    Await.until(Duration.ofSeconds(5), () -> failures("unknown_name") == before + 1, "unknown_name to be counted");
  }

  @Test
  void aClientWithOnlyCiphersTheCertificateCannotServeIsCountedAsCipher() throws Exception {
    double before = failures("cipher");
    // RSA key exchange suites only, against an EC certificate: nothing in common
    assertThatThrownBy(() -> handshake("metric.test", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        .isInstanceOf(java.io.IOException.class);
    Await.until(Duration.ofSeconds(5), () -> failures("cipher") == before + 1, "cipher to be counted");
  }

  @Test
  void aTls11ClientIsCountedAsProtocol() throws Exception {
    double before = failures("protocol");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(Ports.LOOPBACK, edge.httpsPort()), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(tls11ClientHello("metric.test"));
      InputStream in = s.getInputStream();
      int first = in.read();
      assertThat(first).as("a TLS alert record, or the connection closed").isIn(0x15, -1);
    }
    Await.until(Duration.ofSeconds(5), () -> failures("protocol") == before + 1, "protocol to be counted");
  }

  @Test
  void aGoodHandshakeIsNotCounted() throws Exception {
    double before = total();
    handshake("metric.test", null, null).close();
    assertThat(total()).isEqualTo(before);
  }

  private static double failures(String reason) {
    for (MetricSnapshot m : edge.node().metrics().registry().scrape()) {
      if (!m.getMetadata().getName().equals("edgeray_tls_handshake_failures")) continue;
      for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) m).getDataPoints()) {
        if (reason.equals(p.getLabels().get("reason"))) return p.getValue();
      }
    }
    return 0;
  }

  private static double total() {
    return List.of("no_sni", "unknown_name", "protocol", "cipher", "not_tls", "timeout", "closed", "other").stream()
        .mapToDouble(HandshakeFailureMetricTest::failures).sum();
  }

  private static SSLSocket handshake(String sni, String protocol, String cipher) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }}, null);
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(Ports.LOOPBACK, edge.httpsPort()), 5000);
    plain.setSoTimeout(10_000);
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", edge.httpsPort(), true);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    if (protocol != null) p.setProtocols(new String[] {protocol});
    if (cipher != null) p.setCipherSuites(new String[] {cipher});
    s.setSSLParameters(p);
    try {
      s.startHandshake();
    } catch (java.io.IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** A ClientHello offering at most TLS 1.1 (no supported_versions), with SNI so it gets past the name check. */
  private static byte[] tls11ClientHello(String name) {
    byte[] host = name.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    int listLength = host.length + 3;
    write(ext, 0x00, 0x00, (listLength + 2) >> 8, (listLength + 2) & 0xff, listLength >> 8, listLength & 0xff,
        0x00, host.length >> 8, host.length & 0xff);
    ext.writeBytes(host);
    write(ext, 0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17); // supported_groups: secp256r1
    write(ext, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00); // ec_point_formats: uncompressed
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, 0x03, 0x02); // TLS 1.1
    body.writeBytes(new byte[32]); // random
    write(body, 0x00); // no session id
    write(body, 0x00, 0x04, 0xc0, 0x09, 0x00, 0x2f); // ECDHE_ECDSA_AES128_SHA, RSA_AES128_SHA
    write(body, 0x01, 0x00); // no compression
    byte[] e = ext.toByteArray();
    write(body, e.length >> 8, e.length & 0xff);
    body.writeBytes(e);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int hs = b.length + 4;
    write(out, 0x16, 0x03, 0x01, hs >> 8, hs & 0xff, 0x01, 0x00, b.length >> 8, b.length & 0xff);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, int... bytes) {
    for (int b : bytes) out.write(b);
  }
}
