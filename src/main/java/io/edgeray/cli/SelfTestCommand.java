package io.edgeray.cli;

import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.tls.DevCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import picocli.CommandLine.Command;

/**
 * Starts a throw-away edge on loopback ports, sends it one HTTP and one HTTPS request for a zone
 * whose origin refuses, and checks both come back as a 521 page with a ray id, then one request
 * for a zone whose origin ({@link LoopbackOrigin}) answers, and checks the 200 comes
 * through. It proves the install works on this machine (native transport, TLS library, config,
 * page, log, the proxied path) without a real origin, and the launcher uses it as the training
 * run for the class-data archive that makes the edge start faster: what it runs is what the
 * archive holds, so it takes the path a visitor's first request takes too.
 */
@Command(name = "self-test", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = "Start a throw-away edge on loopback, make its origin refuse, and check the 521 pages over HTTP and HTTPS.")
final class SelfTestCommand implements Callable<Integer> {
  private static final String HOST = "selftest.example";
  /** The zone whose origin answers. */
  private static final String OK_HOST = "ok.selftest.example";

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    Path dir = Files.createTempDirectory("edgeray-self-test");
    try (LoopbackOrigin origin = LoopbackOrigin.start()) {
      DevCertificate.Written cert = DevCertificate.write(HOST, dir, Duration.ofDays(1));
      Path config = dir.resolve("edge.yaml");
      Files.writeString(config, """
          node: SELF
          listen: { http: 127.0.0.1:0, https: 127.0.0.1:0 }
          admin: 127.0.0.1:0
          access_log: %s
          zones:
            - name: %s
              origin_ports: { http: %d, https: %d }
              ssl: flexible
              certificate: { cert: %s, key: %s }
              records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
            - name: %s
              origin_ports: { http: %d }
              records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
          """.formatted(dir.resolve("access.jsonl"), HOST, LoopbackOrigin.closedPort(), LoopbackOrigin.closedPort(), cert.cert(), cert.key(), OK_HOST,
              origin.port()));
      List<String> rays;
      try (EdgeNode node = EdgeNode.start(ConfigLoader.load(config), config)) {
        String overHttp = ask(new Socket(), node.httpAddress(), HOST);
        String overHttps = ask(tlsSocket(), node.httpsAddress(), HOST);
        rays = List.of(check("HTTP", overHttp), check("HTTPS", overHttps));
        String proxied = ask(new Socket(), node.httpAddress(), OK_HOST);
        if (!proxied.startsWith("HTTP/1.1 200 ") || !proxied.endsWith("\r\n\r\n" + LoopbackOrigin.BODY)) {
          throw new IllegalStateException("a request to a loopback origin that answers: expected its 200, got "
              + proxied.lines().findFirst().orElse("nothing"));
        }
      }
      String log = Files.readString(dir.resolve("access.jsonl"));
      for (String ray : rays) {
        if (!log.contains("\"ray\":\"" + ray + "\"")) throw new IllegalStateException("ray " + ray + " is not in the access log");
      }
      System.out.printf("self-test passed in %d ms: 521 with a ray id on the page and in the log, over HTTP and HTTPS (%s);"
          + " 200 through a loopback origin%n",
          (System.nanoTime() - t0) / 1_000_000, String.join(", ", rays));
      return 0;
    } catch (Exception e) {
      // our own checks say what was wrong; anything else is shown whole, with its type
      System.err.println("self-test failed: " + (e instanceof IllegalStateException ? e.getMessage() : e.toString()));
      return 1;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The ray id of a 521 page, or an exception saying what came back instead. */
  private static String check(String scheme, String response) {
    if (!response.startsWith("HTTP/1.1 521 ")) {
      throw new IllegalStateException(scheme + ": expected a 521 page, got " + response.lines().findFirst().orElse("nothing"));
    }
    String ray = response.lines().filter(l -> l.regionMatches(true, 0, "edge-ray:", 0, 9)).findFirst()
        .map(l -> l.substring(9).trim()).orElseThrow(() -> new IllegalStateException(scheme + ": no Edge-Ray header"));
    if (!response.contains(ray + "</code>")) throw new IllegalStateException(scheme + ": ray " + ray + " is not on the page");
    return ray;
  }

  private static String ask(Socket socket, InetSocketAddress to, String host) throws IOException {
    try (socket) {
      socket.connect(to, 2000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A client socket that sends the zone's name as SNI and accepts the throw-away certificate. */
  private static SSLSocket tlsSocket() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }}, null);
    SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
    SSLParameters params = socket.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(HOST)));
    socket.setSSLParameters(params);
    return socket;
  }
}
