package io.edgeray.tls;

import io.edgeray.config.ZoneTls;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything TLS on one edge node: the visitor certificates (by SNI), the origin contexts (by SSL
 * mode and trust), the redirects between schemes, and a poller that reloads changed certificate
 * and trust files every few seconds.
 */
public final class EdgeTls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeTls.class);
  public static final Duration POLL = Duration.ofSeconds(2);

  private final CertificateStore certificates = new CertificateStore();
  private final OriginTls origins = new OriginTls();
  private final ScheduledExecutorService poller;
  private volatile int httpPort = -1;
  private volatile int httpsPort = -1;

  public EdgeTls(EdgeConfig config) {
    update(config);
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edgeray-tls-reload");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(this::refresh, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes a new config's zones; unchanged certificates and trust sets are kept. */
  public void update(EdgeConfig config) {
    certificates.update(config);
    origins.update(config);
    if (config.httpsListen() == null && config.zones().stream().anyMatch(z -> z.tls().certificate() != null)) {
      LOG.info("zones have certificates but listen.https is not set: HTTPS is off");
    }
  }

  private void refresh() {
    try {
      certificates.refresh();
      origins.refresh();
    } catch (RuntimeException e) {
      LOG.error("reloading certificates failed: {}", e.toString());
    }
  }

  public CertificateStore certificates() {
    return certificates;
  }

  /** How a ray for {@code zone} reaches its origin, for a visitor that came over HTTPS or not. */
  public OriginLeg originLeg(Zone zone, boolean visitorHttps) {
    return origins.leg(zone.tls(), visitorHttps);
  }

  /** The listeners' bound ports, for redirects between the schemes; -1 when a listener is off. */
  public void listening(int httpPort, int httpsPort) {
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  /**
   * Where to send a visitor instead of serving the request, or null to serve it: HTTP to HTTPS when
   * the zone has {@code always_use_https} (and an HTTPS listener exists), HTTPS to HTTP when the
   * zone's mode is {@code off}.
   *
   * @param pathAndQuery the origin-form request target
   */
  public String redirect(Zone zone, boolean visitorHttps, String host, String pathAndQuery) {
    return redirect(zone.tls(), visitorHttps, host, pathAndQuery, httpPort, httpsPort);
  }

  static String redirect(ZoneTls tls, boolean visitorHttps, String host, String pathAndQuery, int httpPort, int httpsPort) {
    String path = pathAndQuery == null || !pathAndQuery.startsWith("/") ? "/" : pathAndQuery;
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    if (visitorHttps && !tls.ssl().servesHttps()) {
      return "http://" + h + (httpPort == 80 || httpPort < 0 ? "" : ":" + httpPort) + path;
    }
    if (!visitorHttps && tls.alwaysUseHttps() && httpsPort > 0) {
      return "https://" + h + (httpsPort == 443 ? "" : ":" + httpsPort) + path;
    }
    return null;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
