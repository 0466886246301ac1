package io.edgeray.edge;

import io.edgeray.cache.BackgroundRefresher;
import io.edgeray.cache.CacheRequest;
import io.edgeray.cache.RefreshTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background refreshes as requests to the edge's own listener (HTTPS ones to its HTTPS listener,
 * so the cache key and the zone's SSL mode are the visitor's), each a ray with its own log line.
 * A few pool threads, a bounded queue: a refresh that cannot be queued is not made (the copy is
 * refreshed by the next visitor after the window instead). The answer is read and dropped.
 */
final class SelfRefresher implements BackgroundRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(SelfRefresher.class);
  /** Request headers not copied to a refresh: framing, and what the edge adds itself. */
  private static final Set<String> DROPPED = Set.of("host", "connection", "keep-alive", "content-length", "transfer-encoding",
      "te", "upgrade", "expect", "x-forwarded-for", "x-forwarded-proto", "edge-connecting-ip", "edge-ray", "via", "cdn-loop",
      RefreshTokens.HEADER.toLowerCase(Locale.ROOT));
  private static final int READ_TIMEOUT_MS = 150_000; // longer than the origin read timeout's default, 125 s

  private final Supplier<InetSocketAddress> http;
  private final Supplier<InetSocketAddress> https;
  private final ThreadPoolExecutor threads = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(256), r -> {
        Thread t = new Thread(r, "edgeray-cache-refresh");
        t.setDaemon(true);
        return t;
      });

  SelfRefresher(Supplier<InetSocketAddress> http, Supplier<InetSocketAddress> https) {
    this.http = http;
    this.https = https;
  }

  @Override
  public boolean start(CacheRequest request, String token) {
    InetSocketAddress listener = request.scheme().equals("https") ? https.get() : http.get();
    if (listener == null) return false;
    try {
      threads.execute(() -> send(reachable(listener), request, token));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  void close() {
    threads.shutdownNow();
  }

  /** A wildcard listener is reached on loopback. */
  private static InetSocketAddress reachable(InetSocketAddress listener) {
    if (!listener.getAddress().isAnyLocalAddress()) return listener;
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getPort());
  }

  static byte[] requestBytes(CacheRequest request, String token) {
    StringBuilder b = new StringBuilder();
    b.append(request.method()).append(' ').append(request.pathAndQuery()).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(request.host()).append("\r\n");
    for (Map.Entry<String, String> h : request.headers()) {
      if (!DROPPED.contains(h.getKey().toLowerCase(Locale.ROOT))) b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    b.append(RefreshTokens.HEADER).append(": ").append(token).append("\r\n");
    b.append("Connection: close\r\n\r\n");
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void send(InetSocketAddress to, CacheRequest request, String token) {
    try (Socket s = open(to, request)) {
      s.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(requestBytes(request, token));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] sink = new byte[16 * 1024];
      while (in.read(sink) >= 0) {
        // the ray stores what it fetched; the answer itself is not needed
      }
    } catch (IOException e) {
      LOG.debug("cache: background refresh of {}{} did not finish: {}", request.host(), request.pathAndQuery(), e.toString());
    }
  }

  private static Socket open(InetSocketAddress to, CacheRequest request) throws IOException {
    Socket plain = new Socket();
    plain.connect(to, 5_000);
    if (!request.scheme().equals("https")) return plain;
    SSLSocket tls = (SSLSocket) OWN_LISTENER.getSocketFactory().createSocket(plain, request.host(), to.getPort(), true);
    SSLParameters p = tls.getSSLParameters();
    p.setServerNames(List.of(new SNIHostName(request.host())));
    tls.setSSLParameters(p);
    tls.startHandshake();
    return tls;
  }

  /** The edge talking to its own listener: the certificate is the edge's own, nothing to check. */
  private static final SSLContext OWN_LISTENER = ownListenerContext();

  private static SSLContext ownListenerContext() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return c;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
