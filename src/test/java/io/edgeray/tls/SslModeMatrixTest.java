package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.config.SslMode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SSL mode against every origin set-up, for visitors over HTTP and over HTTPS: the exact
 * status, Proxy-Status, and the access log's failure and reason. The expected outcome is worked
 * out from DESIGN.md's table ({@link #expected}), independently of the code under test.
 */
class SslModeMatrixTest {
  static final String NODE = "MTX";

  /** What listens on the origin's HTTP port and on its HTTPS port. */
  enum Setup {
    PLAIN_HTTP_ONLY(true, Tls.NONE),
    HTTPS_VALID(false, Tls.VALID),
    HTTPS_EXPIRED(false, Tls.EXPIRED),
    HTTPS_WRONG_NAME(false, Tls.WRONG_NAME),
    HTTPS_SELF_SIGNED(false, Tls.SELF_SIGNED),
    PLAIN_HTTP_ON_TLS_PORT(false, Tls.PLAIN),
    TLS10_ONLY(false, Tls.TLS10),
    NOTHING_LISTENING(false, Tls.NONE);

    final boolean plainHttp;
    final Tls tls;

    Setup(boolean plainHttp, Tls tls) {
      this.plainHttp = plainHttp;
      this.tls = tls;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  enum Tls { NONE, VALID, EXPIRED, WRONG_NAME, SELF_SIGNED, PLAIN, TLS10 }

  record Outcome(int status, String failure, String reason) {}

  record Case(SslMode mode, Setup setup, boolean https) {
    String host() {
      return host(mode, setup);
    }

    static String host(SslMode mode, Setup setup) {
      return setup.label() + "." + mode.configName().replace('_', '-') + ".test";
    }

    @Override
    public String toString() {
      Outcome o = expected(this);
      return mode.configName() + " x " + setup.label() + " x " + (https ? "https" : "http") + " visitor -> " + o.status()
          + (o.failure() == null ? "" : " " + o.failure());
    }
  }

  @TempDir static Path dir;
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node(NODE).https().perClass();
  static TestPki pki;
  static final List<FaultyOrigin> origins = new ArrayList<>();
  static Channel tls10Server;
  static EventLoopGroup tls10Group;
  static SSLContext visitorTls;
  static final Map<Setup, int[]> ports = new EnumMap<>(Setup.class);
  static String tls10Unavailable;

  static Stream<Case> cases() {
    List<Case> all = new ArrayList<>();
    for (SslMode m : SslMode.values()) {
      for (Setup s : Setup.values()) {
        all.add(new Case(m, s, false));
        all.add(new Case(m, s, true));
      }
    }
    return all.stream();
  }

  /** DESIGN.md's table. */
  static Outcome expected(Case c) {
    if (c.https() && c.mode() == SslMode.OFF) return new Outcome(301, null, null);
    boolean tls = switch (c.mode()) {
      case OFF, FLEXIBLE -> false;
      case FULL, FULL_STRICT -> c.https();
      case STRICT -> true;
    };
    boolean validate = c.mode() == SslMode.FULL_STRICT || c.mode() == SslMode.STRICT;
    if (!tls) return c.setup().plainHttp ? new Outcome(200, null, null) : new Outcome(521, "CONNECTION_REFUSED", null);
    return switch (c.setup().tls) {
      case NONE -> new Outcome(521, "CONNECTION_REFUSED", null);
      case VALID -> new Outcome(200, null, null);
      case EXPIRED -> validate ? new Outcome(526, "TLS_CERTIFICATE", "origin certificate expired") : new Outcome(200, null, null);
      case WRONG_NAME -> validate ? new Outcome(526, "TLS_CERTIFICATE", "origin certificate name mismatch: the certificate is not valid for " + c.host())
          : new Outcome(200, null, null);
      case SELF_SIGNED -> validate ? new Outcome(526, "TLS_CERTIFICATE", "origin certificate self-signed") : new Outcome(200, null, null);
      case PLAIN -> new Outcome(525, "TLS_HANDSHAKE", "did not answer with TLS");
      case TLS10 -> new Outcome(525, "TLS_HANDSHAKE", "in common");
    };
  }

  @BeforeAll
  static void startEverything() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    visitorTls = pki.clientContext();
    Instant now = Instant.now();
    for (Setup s : Setup.values()) {
      List<String> names = new ArrayList<>();
      for (SslMode m : SslMode.values()) names.add(Case.host(m, s));
      String[] hosts = names.toArray(String[]::new);
      int http = s.plainHttp ? origin(FaultyOrigin.start().summaryEcho(s.label())) : origin(FaultyOrigin.start(Fault.REFUSE));
      int https = switch (s.tls) {
        case NONE -> origin(FaultyOrigin.start(Fault.REFUSE));
        case VALID -> origin(FaultyOrigin.startTls(pki.issue(names)).summaryEcho(s.label()));
        case EXPIRED -> origin(FaultyOrigin.startTls(pki.leaf(names)
            .valid(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))).issue()).summaryEcho(s.label()));
        case WRONG_NAME -> origin(FaultyOrigin.startTls(pki.issue("other.example", "127.0.0.1")).summaryEcho(s.label()));
        case SELF_SIGNED -> origin(FaultyOrigin.startTls(pki, Fault.SELF_SIGNED_CERTIFICATE, hosts).summaryEcho(s.label()));
        case PLAIN -> origin(FaultyOrigin.start(Fault.PLAIN_ON_TLS_PORT));
        case TLS10 -> tls10Origin(s, names);
      };
      ports.put(s, new int[] {http, https});
    }
    List<String> visitorNames = new ArrayList<>();
    for (SslMode m : SslMode.values()) for (Setup s : Setup.values()) visitorNames.add(Case.host(m, s));
    TestPki.Leaf visitorCert = pki.issue(visitorNames);
    StringBuilder zones = new StringBuilder();
    for (SslMode m : SslMode.values()) {
      for (Setup s : Setup.values()) {
        zones.append(EdgeExtension.zone(Case.host(m, s), "ssl: " + m.configName() + "\n"
            + "origin_ports: { http: " + ports.get(s)[0] + ", https: " + ports.get(s)[1] + " }\n"
            + "origin_ca: " + pki.caFile() + "\n"
            + visitorCert.yaml()));
      }
    }
    edge.start(zones.toString());
  }

  private static int origin(FaultyOrigin o) {
    origins.add(o);
    return o.port();
  }

  /**
   * A TLS 1.0-only origin, if this runtime can still make one (BoringSSL can); else the rows are
   * skipped. The JDK refuses TLS 1.0, so unlike every other origin here it cannot be a
   * {@link FaultyOrigin}: it is a Netty listener with BoringSSL that only ever gets as far as the
   * handshake the edge must refuse.
   */
  static int tls10Origin(Setup s, List<String> names) throws Exception {
    if (!OpenSsl.isAvailable()) {
      tls10Unavailable = "netty-tcnative (BoringSSL) is not available here, and the JDK refuses TLS 1.0";
      return origin(FaultyOrigin.start(Fault.REFUSE));
    }
    TestPki.Leaf cert = pki.issue(names);
    List<String> tls10Ciphers = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
    SslContext server = SslContextBuilder.forServer(cert.key(), cert.cert()).sslProvider(SslProvider.OPENSSL)
        .protocols("TLSv1").ciphers(tls10Ciphers).build();
    tls10Group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    tls10Server = new ServerBootstrap().group(tls10Group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(server.newHandler(c.alloc()));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    int port = ((java.net.InetSocketAddress) tls10Server.localAddress()).getPort();
    // prove it is what it claims: a TLS 1.0 client gets through, so the edge's 525 is about the version
    SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1")
        .ciphers(tls10Ciphers).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel ch = new Bootstrap().group(g).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel c) {
          c.pipeline().addLast(client.newHandler(c.alloc(), "127.0.0.1", port));
        }
      }).connect("127.0.0.1", port).sync().channel();
      SslHandler h = ch.pipeline().get(SslHandler.class);
      if (!h.handshakeFuture().await(5, TimeUnit.SECONDS) || !h.handshakeFuture().isSuccess()) {
        tls10Unavailable = "this BoringSSL build will not complete a TLS 1.0 handshake: " + h.handshakeFuture().cause();
      } else if (!"TLSv1".equals(h.engine().getSession().getProtocol())) {
        tls10Unavailable = "the TLS 1.0 origin negotiated " + h.engine().getSession().getProtocol();
      }
      ch.close().sync();
    } catch (Exception e) {
      tls10Unavailable = "cannot make a TLS 1.0 handshake here: " + e;
    } finally {
      g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    return port;
  }

  @AfterAll
  static void stopEverything() {
    origins.forEach(FaultyOrigin::close);
    if (tls10Server != null) tls10Server.close();
    if (tls10Group != null) tls10Group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachModeAndOriginGivesTheOutcomeOfTheTable(Case c) throws Exception {
    if (c.setup() == Setup.TLS10_ONLY) assumeTrue(tls10Unavailable == null, () -> "TLS 1.0 row skipped: " + tls10Unavailable);
    Outcome want = expected(c);
    RawClient.Response res = c.https() ? edge.getTls(visitorTls, c.host(), "/matrix?q=1") : edge.get(c.host(), "/matrix?q=1");

    assertThat(res.status()).as("status; body: %s", res.body()).isEqualTo(want.status());
    String ray = res.header("edge-ray");
    assertThat(ray).as("Edge-Ray").matches("[0-9a-f]{16}-" + NODE);
    JsonNode line = edge.logLine(ray);
    assertThat(line.get("status").asInt()).isEqualTo(want.status());
    assertThat(line.get("failure").isNull() ? null : line.get("failure").asText()).as("log failure").isEqualTo(want.failure());

    switch (want.status()) {
      case 200 -> {
        assertThat(res.header("proxy-status")).isNull();
        boolean overTls = c.mode().originTls(c.https());
        assertThat(res.body()).startsWith("origin=" + c.setup().label() + " scheme=" + (overTls ? "https" : "http"))
            .contains(" xfp=" + (c.https() ? "https" : "http") + " ")
            .contains(" host=" + c.host() + " ");
        if (overTls) assertThat(res.body()).as("SNI is the visitor's host").contains(" sni=" + c.host() + " ");
      }
      case 301 -> {
        assertThat(res.header("location")).isEqualTo("http://" + c.host() + ":" + edge.httpPort() + "/matrix?q=1");
        assertThat(res.header("proxy-status")).isNull();
      }
      default -> {
        String proxyStatus = switch (want.status()) {
          case 521 -> "connection_refused";
          case 525 -> "tls_protocol_error";
          default -> "tls_certificate_error";
        };
        assertThat(res.header("proxy-status")).isEqualTo("edgeray-" + NODE + "; error=" + proxyStatus);
        assertThat(res.body()).contains("<title>").contains(ray);
        System.out.println(c + ": " + line.get("detail").asText());
        if (want.reason() != null) {
          assertThat(line.get("detail").asText()).as("log detail").contains(want.reason());
          assertThat(res.body()).as("the owner's part of the page names the reason").contains(escape(want.reason()));
        }
        if (want.status() == 526) {
          assertThat(line.get("detail").asText()).as("certificate described in the log").contains("subject ").contains("; SANs ").contains("; valid ").contains(" to ").contains("; issuer ");
        }
      }
    }
  }

  private static String escape(String s) {
    return s.replace("'", "&#39;").replace("\"", "&quot;");
  }
}
