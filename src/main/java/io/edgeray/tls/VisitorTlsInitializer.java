package io.edgeray.tls;

import io.edgeray.observe.RaySummary;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of an HTTPS visitor connection:
 *
 * <pre>
 * SNI (certificate by name, or a refusal alert) -> TLS -> ALPN
 *   http/1.1: the same codec and visitor handler as plain HTTP
 *   h2:       {@link Http2Pipeline}: Netty's frame codec and multiplexer; each stream is a child
 *             channel with Http2StreamFrameToHttpObjectCodec and, again, the same visitor handler
 * </pre>
 *
 * So the proxy path, error pages and logs are the same for every protocol. HTTP/1.1 connections
 * keep auto-read off (the visitor handler asks for each read); an HTTP/2 connection reads freely
 * and each stream keeps auto-read off, so HTTP/2 flow control carries the backpressure.
 */
public final class VisitorTlsInitializer {
  private static final Logger LOG = LoggerFactory.getLogger(VisitorTlsInitializer.class);
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  /** TLS alert records (fatal): handshake_failure (40) when no name was sent, unrecognized_name (112) otherwise. */
  private static final byte[] ALERT_HANDSHAKE_FAILURE = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40};
  private static final byte[] ALERT_UNRECOGNIZED_NAME = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 112};

  /** What the edge package supplies: the HTTP/1.1 end of a pipeline, and a visitor handler per HTTP/2 stream. */
  public interface Protocols {
    /** Adds the HTTP/1.1 codec and the visitor handler to the end of {@code p}. */
    void http1(ChannelPipeline p);

    /** A new visitor handler, for one HTTP/2 stream. */
    ChannelHandler newVisitorHandler();

    /** The user event that asks a connection to finish its rays and close (the edge is draining). */
    Object drainEvent();

    /** The largest request head accepted, in bytes (HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE). */
    int maxHeaderListSize();

    /** How long a request head may take ({@code limits.request_head_timeout}); HTTP/2 applies it to each header block. */
    Duration requestHeadTimeout();

    /** This node's short name, the suffix of ray ids. */
    String node();

    /**
     * Ends a ray the HTTP/2 layer refused before any visitor handler saw it (a malformed stream, a
     * connection error, a header block too slow): its one access-log line and metric update.
     */
    void rayFinished(RaySummary ray);

    /**
     * The idle timeout ({@code limits.visitor_idle}) of an HTTP/2 connection, stopped until
     * restarted; {@code expired} runs on the connection's event loop.
     */
    IdleTimeout idleTimeout(Channel connection, Runnable expired);
  }

  /** A connection's idle timeout, kept by the edge on its event loop's timers. */
  public interface IdleTimeout {
    /** Starts the timeout over from now. */
    void restart();

    /** Stops it until the next restart. */
    void stop();
  }

  private VisitorTlsInitializer() {}

  /** Adds the TLS part of the pipeline to a newly accepted connection whose auto-read is off. */
  public static void configure(Channel ch, CertificateStore certificates, Protocols protocols) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("sni", new RefusingSniHandler(certificates));
    p.addLast("alpn", new Alpn(protocols));
    p.addLast("first-read", new FirstRead());
  }

  /** Whether a visitor channel (a connection, or an HTTP/2 stream of one) came in over TLS. */
  public static boolean isHttps(Channel ch) {
    for (Channel c = ch; c != null; c = c.parent()) {
      if (c.pipeline().get(SslHandler.class) != null) return true;
    }
    return false;
  }

  /**
   * The visitor's protocol version as a Via header writes it (RFC 9110 §7.6.3): "2" for a request
   * on an HTTP/2 stream (whose converted request says HTTP/1.1), else the request line's version.
   */
  public static String viaProtocol(Channel ch, HttpVersion version) {
    if (ch instanceof Http2StreamChannel) return "2";
    if (version == HttpVersion.HTTP_1_1) return "1.1"; // no string built per ray for the two versions there are
    if (version == HttpVersion.HTTP_1_0) return "1.0";
    return version.majorVersion() + "." + version.minorVersion();
  }

  /** Picks the certificate from SNI; with none to pick, answers with a fatal alert and closes. */
  private static final class RefusingSniHandler extends SniHandler {
    RefusingSniHandler(CertificateStore certificates) {
      super(certificates, HANDSHAKE_TIMEOUT_MILLIS);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
      if (sslContext != null) {
        super.replaceHandler(ctx, hostname, sslContext);
        return;
      }
      LOG.debug("refused a TLS handshake from {}: {}", ctx.channel().remoteAddress(),
          hostname == null ? "no SNI name" : "no certificate for " + hostname);
      HandshakeFailures.refused(ctx.channel(), hostname);
      ctx.pipeline().replace(this, "tls-refused", new Refused(hostname == null ? ALERT_HANDSHAKE_FAILURE : ALERT_UNRECOGNIZED_NAME));
    }
  }

  private static final class Refused extends ChannelInboundHandlerAdapter {
    private final byte[] alert;

    Refused(byte[] alert) {
      this.alert = alert;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(alert)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Auto-read is off: ask for the ClientHello; from then on the TLS handlers and the visitor handler read. */
  private static final class FirstRead extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) start(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.fireChannelActive();
      start(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
      if (ctx.isRemoved()) return;
      ctx.pipeline().remove(this);
      ctx.read();
    }
  }

  private static final class Alpn extends ApplicationProtocolNegotiationHandler {
    private final Protocols protocols;

    Alpn(Protocols protocols) {
      super(ApplicationProtocolNames.HTTP_1_1);
      this.protocols = protocols;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        http2(ctx.channel());
      } else {
        protocols.http1(ctx.pipeline());
      }
    }

    private void http2(Channel ch) {
      Http2Pipeline.configure(ch, protocols);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("TLS handshake with visitor {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      HandshakeFailures.failed(ctx.channel(), cause);
      ctx.close();
    }
  }
}
