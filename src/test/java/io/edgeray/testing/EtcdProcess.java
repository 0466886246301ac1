package io.edgeray.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A one-member etcd (Debian's etcd-server) on loopback; {@link #url()} for {@code fleet.etcd}. */
public final class EtcdProcess extends StoreProcess {
  private final int peerPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private EtcdProcess() throws IOException {
    super("/usr/bin/etcd", "etcd-server");
    this.peerPort = Ports.closedPort();
  }

  /** Started; skipped (an assumption) where etcd is not installed. */
  public static EtcdProcess started() throws IOException {
    EtcdProcess e = new EtcdProcess();
    e.start();
    return e;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  protected List<String> command() {
    String peer = "http://127.0.0.1:" + peerPort;
    return List.of("/usr/bin/etcd", "--name", "test", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", url(), "--advertise-client-urls", url(),
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "test=" + peer,
        "--log-level", "warn");
  }

  @Override
  protected boolean ready() {
    if (!accepts()) return false;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code etcdctl put KEY VALUE} through etcd's JSON gateway (v3 API), as any operator tool would write it. */
  public long put(String key, String value) throws IOException, InterruptedException {
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    String body = "{\"key\":\"" + b64.encodeToString(key.getBytes()) + "\",\"value\":\""
        + b64.encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/v3/kv/put"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("etcd put: " + r.statusCode() + " " + r.body());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"revision\":\"(\\d+)\"").matcher(r.body());
    if (!m.find()) throw new IOException("etcd put: no revision in " + r.body());
    return Long.parseLong(m.group(1));
  }
}
