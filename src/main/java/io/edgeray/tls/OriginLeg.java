package io.edgeray.tls;

import io.edgeray.config.OriginPorts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How one ray talks to its origin, as the zone's SSL mode decided: plain HTTP, TLS without
 * validation (Full), or TLS with a validated certificate (Full (strict), Strict).
 */
public final class OriginLeg {
  public static final OriginLeg PLAIN = new OriginLeg(null, false);
  /** The handshake never waits longer than this, whatever the connect timeout. */
  static final Duration MAX_HANDSHAKE = Duration.ofSeconds(10);

  private final SslContext context;
  private final boolean validates;

  OriginLeg(SslContext context, boolean validates) {
    this.context = context;
    this.validates = validates;
  }

  /**
   * TLS that accepts any certificate: the health checks' and the doctor's, which reach origins by
   * address where certificates rarely match, and judge a certificate separately when they do.
   */
  public static OriginLeg unvalidated() {
    return Unvalidated.LEG;
  }

  private static final class Unvalidated {
    static final OriginLeg LEG = create();

    private static OriginLeg create() {
      try {
        return new OriginLeg(TlsContexts.originClient(null), false);
      } catch (javax.net.ssl.SSLException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  public boolean tls() {
    return context != null;
  }

  public boolean validates() {
    return validates;
  }

  /** The value of X-Forwarded-Proto is the visitor's scheme; this is the one toward the origin. */
  public String scheme() {
    return tls() ? "https" : "http";
  }

  public int port(OriginPorts ports) {
    return tls() ? ports.https() : ports.http();
  }

  /**
   * The key of pooled connections: the address alone for plain HTTP; for TLS also the host name
   * (SNI, and the name the certificate was checked for) and the trust it was checked with, so a
   * connection is never reused for a name or a mode it was not made for.
   */
  public SocketAddress poolKey(InetSocketAddress address, String host) {
    return tls() ? new TlsEndpoint(address, host, context) : address;
  }

  /** The TLS handler for a new origin connection (SNI = {@code host}), or null for plain HTTP. */
  public ChannelHandler newHandler(Channel ch, String host, InetSocketAddress address, Duration connectTimeout) {
    if (!tls()) return null;
    SslHandler h = context.newHandler(ch.alloc(), host, address.getPort());
    Duration timeout = connectTimeout.compareTo(MAX_HANDSHAKE) < 0 ? connectTimeout : MAX_HANDSHAKE;
    h.setHandshakeTimeoutMillis(Math.max(1, timeout.toMillis()));
    return h;
  }

  /**
   * Completes when the connection is ready for the request: at once for plain HTTP, after the TLS
   * handshake otherwise. A failed handshake fails it with the handshake's exception.
   */
  public static Future<?> ready(ChannelFuture connected) {
    if (!connected.isSuccess()) return connected;
    SslHandler h = connected.channel().pipeline().get(SslHandler.class);
    return h == null ? connected : h.handshakeFuture();
  }

  @Override
  public String toString() {
    return !tls() ? "http" : validates ? "https (validated)" : "https (not validated)";
  }

  /** An origin address as a TLS connection sees it: the address, the SNI name and the trust in force. */
  private static final class TlsEndpoint extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private final InetSocketAddress address;
    private final String host;
    private final transient SslContext context;

    TlsEndpoint(InetSocketAddress address, String host, SslContext context) {
      this.address = address;
      this.host = host;
      this.context = context;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TlsEndpoint t && t.address.equals(address) && Objects.equals(t.host, host) && t.context == context;
    }

    @Override
    public int hashCode() {
      return Objects.hash(address, host, System.identityHashCode(context));
    }

    @Override
    public String toString() {
      return "tls://" + host + "@" + address;
    }
  }
}
