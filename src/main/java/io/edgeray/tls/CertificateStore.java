package io.edgeray.tls;

import io.edgeray.config.CertificateFiles;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitor-facing certificates, one per zone, chosen by SNI: the SNI name picks its zone (the
 * longest zone name it ends with), and the zone's certificate is used only when one of its DNS
 * names covers the SNI name (exactly, or by a one-label wildcard). No SNI, a name in no zone, a zone
 * without a certificate, or a certificate that does not cover the name: no context, and the
 * handshake is refused ({@link VisitorTlsInitializer}), never answered with another zone's
 * certificate.
 *
 * <p>Files are polled ({@link #refresh()}, by {@link EdgeTls}): when a certificate or key file's
 * modification time, size or inode changes, the pair is read again and swapped in for new handshakes. A pair that does not load (half written,
 * key not matching) keeps the previous certificate in service and is logged.
 */
public final class CertificateStore implements Mapping<String, SslContext> {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

  /** A loaded certificate; {@code tried} is the stamp last attempted, which may be newer than the one in service. */
  private record Entry(CertificateFiles files, FileStamp stamp, FileStamp tried, SslContext context, List<String> names, X509Certificate leaf) {}

  private volatile EdgeConfig config;
  private volatile Map<String, Entry> byZone = Map.of();

  /** Takes the zones of a new config: certificates whose files did not change are kept as they are. */
  public synchronized void update(EdgeConfig next) {
    Map<String, Entry> old = byZone;
    Map<String, Entry> fresh = new HashMap<>();
    for (Zone z : next.zones()) {
      CertificateFiles files = z.tls().certificate();
      if (files == null) continue;
      Entry e = old.get(z.name());
      if (e != null && e.files().equals(files)) {
        fresh.put(z.name(), e);
      } else {
        Entry loaded = load(z.name(), files, null);
        if (loaded != null) fresh.put(z.name(), loaded);
      }
    }
    config = next;
    byZone = Map.copyOf(fresh);
    refresh();
  }

  /** Reloads every certificate whose files changed since they were last read. */
  public synchronized void refresh() {
    Map<String, Entry> current = byZone;
    Map<String, Entry> next = new HashMap<>(current);
    boolean changed = false;
    for (Map.Entry<String, Entry> m : current.entrySet()) {
      Entry e = m.getValue();
      FileStamp now = FileStamp.of(e.files());
      if (now.equals(e.tried())) continue;
      Entry reloaded = load(m.getKey(), e.files(), e);
      next.put(m.getKey(), reloaded);
      changed = true;
    }
    if (changed) byZone = Map.copyOf(next);
  }

  /** The context for an SNI name, or null when the handshake must be refused. */
  @Override
  public SslContext map(String sni) {
    Entry e = entryFor(sni);
    return e == null ? null : e.context();
  }

  /** The certificate that would be served for an SNI name, or null. */
  public X509Certificate certificateFor(String sni) {
    Entry e = entryFor(sni);
    return e == null ? null : e.leaf();
  }

  /** The certificate in service for a zone (loaded from its files, whatever names it covers), or null. */
  public X509Certificate certificateOfZone(String zone) {
    Entry e = byZone.get(zone);
    return e == null ? null : e.leaf();
  }

  public boolean isEmpty() {
    return byZone.isEmpty();
  }

  private Entry entryFor(String sni) {
    EdgeConfig c = config;
    if (sni == null || sni.isEmpty() || c == null) return null;
    Optional<Zone> zone = c.zoneFor(sni);
    if (zone.isEmpty()) return null;
    Entry e = byZone.get(zone.get().name());
    if (e == null || e.context() == null || !CertificateDescription.covers(e.names(), sni)) return null;
    return e;
  }

  /**
   * Reads a pair. On failure the previous entry (if any) stays in service, marked as tried at the
   * new stamp so the same broken files are not read again every poll.
   */
  private Entry load(String zone, CertificateFiles files, Entry previous) {
    FileStamp stamp = FileStamp.of(files);
    try {
      TlsContexts.Checked checked = TlsContexts.takeChecked(files, stamp); // the config loader's check built it
      Pem.KeyMaterial km = checked != null ? checked.material() : Pem.load(files);
      SslContext ctx = checked != null ? checked.context() : TlsContexts.server(km);
      List<String> names = CertificateDescription.dnsNames(km.leaf());
      if (names.stream().noneMatch(n -> inZone(n, zone))) {
        LOG.warn("certificate for zone {} names none of the zone's hosts, so no visitor handshake will use it: {}",
            zone, CertificateDescription.describe(km.leaf()));
      }
      if (Instant.now().isAfter(km.leaf().getNotAfter().toInstant())) {
        LOG.warn("certificate for zone {} has expired: {}", zone, CertificateDescription.describe(km.leaf()));
      }
      if (previous != null) LOG.info("certificate for zone {} reloaded: {}", zone, CertificateDescription.describe(km.leaf()));
      return new Entry(files, stamp, stamp, ctx, names, km.leaf());
    } catch (CertificateLoadException | SSLException | RuntimeException e) {
      if (previous != null) {
        LOG.error("certificate for zone {} changed but cannot be used, keeping the previous one: {}", zone, e.getMessage());
        return new Entry(previous.files(), previous.stamp(), stamp, previous.context(), previous.names(), previous.leaf());
      }
      LOG.error("certificate for zone {} cannot be used, HTTPS handshakes for it will fail: {}", zone, e.getMessage());
      return new Entry(files, stamp, stamp, null, List.of(), null);
    }
  }

  private static boolean inZone(String name, String zone) {
    String n = name.startsWith("*.") ? name.substring(2) : name;
    return n.equals(zone) || n.endsWith("." + zone);
  }
}
