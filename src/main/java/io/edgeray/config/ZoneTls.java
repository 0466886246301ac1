package io.edgeray.config;

import io.edgeray.config.CertificateFiles;
import io.edgeray.config.SslMode;
import java.nio.file.Path;

/**
 * A zone's TLS settings.
 *
 * @param certificate the certificate shown to visitors, or null (then HTTPS for the zone fails its handshake)
 * @param originCa extra trust anchors for the origin's certificate (PEM), or null for the JDK trust store alone
 */
public record ZoneTls(SslMode ssl, boolean alwaysUseHttps, CertificateFiles certificate, Path originCa) {
  public static final ZoneTls DEFAULTS = new ZoneTls(SslMode.DEFAULT, false, null, null);
}
