package io.edgeray.tls;

import io.edgeray.config.ZoneTls;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client TLS contexts toward origins: one that accepts any certificate (Full), and one per
 * trust set for Full (strict) and Strict: the JDK trust store plus the zone's {@code origin_ca}.
 * A changed {@code origin_ca} file is read again on {@link #refresh()}; one that cannot be read
 * leaves the JDK trust store alone in force (validation never gets weaker).
 */
final class OriginTls {
  private static final Logger LOG = LoggerFactory.getLogger(OriginTls.class);
  private static final Path NO_EXTRA_CA = Path.of("");

  private record Trust(long modified, long size, SslContext context) {}

  private volatile SslContext insecure;
  private volatile Map<Path, Trust> validating = Map.of();

  /** Called for every ray: lock-free once the context exists. */
  OriginLeg leg(ZoneTls tls, boolean visitorHttps) {
    if (!tls.ssl().originTls(visitorHttps)) return OriginLeg.PLAIN;
    if (!tls.ssl().validatesOrigin()) return new OriginLeg(insecure != null ? insecure : insecure(), false);
    Path key = tls.originCa() == null ? NO_EXTRA_CA : tls.originCa();
    Trust t = validating.get(key);
    return new OriginLeg(t != null ? t.context() : create(key).context(), true);
  }

  private synchronized Trust create(Path key) {
    Trust t = validating.get(key);
    if (t == null) {
      t = build(key);
      Map<Path, Trust> next = new HashMap<>(validating);
      next.put(key, t);
      validating = Map.copyOf(next);
    }
    return t;
  }

  /** Drops trust sets no zone uses any more, and rebuilds those whose origin_ca file changed. */
  synchronized void update(EdgeConfig config) {
    Map<Path, Trust> next = new HashMap<>();
    for (Zone z : config.zones()) {
      Path key = z.tls().originCa() == null ? NO_EXTRA_CA : z.tls().originCa();
      Optional.ofNullable(validating.get(key)).ifPresent(t -> next.put(key, t));
    }
    validating = Map.copyOf(next);
    refresh();
  }

  synchronized void refresh() {
    Map<Path, Trust> next = new HashMap<>(validating);
    boolean changed = false;
    for (Map.Entry<Path, Trust> e : validating.entrySet()) {
      if (e.getKey() == NO_EXTRA_CA) continue;
      long[] stamp = stamp(e.getKey());
      if (stamp[0] != e.getValue().modified() || stamp[1] != e.getValue().size()) {
        next.put(e.getKey(), build(e.getKey()));
        changed = true;
      }
    }
    if (changed) validating = Map.copyOf(next);
  }

  private synchronized SslContext insecure() {
    if (insecure == null) {
      try {
        insecure = TlsContexts.originClient(null);
      } catch (SSLException e) {
        throw new IllegalStateException("cannot build the origin TLS context: " + e.getMessage(), e);
      }
    }
    return insecure;
  }

  private static Trust build(Path originCa) {
    long[] stamp = originCa == NO_EXTRA_CA ? new long[] {0, 0} : stamp(originCa);
    OriginTrustManager tm;
    try {
      tm = OriginTrustManager.create(originCa == NO_EXTRA_CA ? null : originCa, Clock.systemUTC());
    } catch (CertificateLoadException e) {
      LOG.error("origin_ca {} cannot be used, validating origins against the JDK trust store alone: {}", originCa, e.getMessage());
      try {
        tm = OriginTrustManager.create(null, Clock.systemUTC());
      } catch (CertificateLoadException e2) {
        throw new IllegalStateException(e2.getMessage(), e2);
      }
    }
    try {
      return new Trust(stamp[0], stamp[1], TlsContexts.originClient(tm));
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the origin TLS context: " + e.getMessage(), e);
    }
  }

  private static long[] stamp(Path p) {
    try {
      return new long[] {Files.getLastModifiedTime(p).toMillis(), Files.size(p)};
    } catch (IOException e) {
      return new long[] {-1, -1};
    }
  }
}
