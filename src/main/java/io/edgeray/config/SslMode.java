package io.edgeray.config;

import java.util.Locale;

/**
 * A zone's SSL/TLS mode: how the edge talks to the origin, by the visitor's scheme. The table in
 * DESIGN.md, as code:
 *
 * <pre>
 * mode         visitor leg                    origin leg                           can yield
 * off          HTTP only (HTTPS -> 301 HTTP)  HTTP                                 521/522/523
 * flexible     HTTPS or HTTP                  HTTP, always                         521
 * full         HTTPS or HTTP                  the visitor's scheme, not validated  525
 * full_strict  HTTPS or HTTP                  the visitor's scheme, validated      525, 526
 * strict       HTTPS or HTTP                  HTTPS always, validated              525, 526
 * </pre>
 *
 * The default for a zone that names no mode is {@link #FULL}, as for a new Cloudflare zone.
 */
public enum SslMode {
  OFF, FLEXIBLE, FULL, FULL_STRICT, STRICT;

  public static final SslMode DEFAULT = FULL;

  /** The mode named in a config file, or null: {@code off}, {@code flexible}, {@code full}, {@code full_strict}, {@code strict}. */
  public static SslMode parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    if (n.equals("full_(strict)")) n = "full_strict";
    for (SslMode m : values()) {
      if (m.configName().equals(n)) return m;
    }
    return null;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the edge speaks TLS to the origin for a visitor who came with the given scheme. */
  public boolean originTls(boolean visitorHttps) {
    return switch (this) {
      case OFF, FLEXIBLE -> false;
      case FULL, FULL_STRICT -> visitorHttps;
      case STRICT -> true;
    };
  }

  /** Whether the origin's certificate must be valid, unexpired and for the host name. */
  public boolean validatesOrigin() {
    return this == FULL_STRICT || this == STRICT;
  }

  /** Whether visitors may use HTTPS at all; with {@code off} they are redirected to HTTP. */
  public boolean servesHttps() {
    return this != OFF;
  }
}
