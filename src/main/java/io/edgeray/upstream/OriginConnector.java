package io.edgeray.upstream;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.Stage;
import io.edgeray.tls.OriginLeg;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The one way the edge opens a connection to an origin, used by the proxy, the pools' health
 * checks and the doctor alike: from the given source address, TCP with the connect timeout, then
 * TLS with SNI and the zone's validation when the leg says so, then the HTTP/1.1 client codec.
 * A failure comes back classified, so a health check that cannot connect is the same 521, 522 or
 * 525 a visitor would get.
 */
public final class OriginConnector {
  /** Pipeline names, for the tunnel that takes the codec out after an upgrade. */
  public static final String TLS = "tls";
  public static final String CODEC = "http";
  /** The response head limit of connections that do not carry visitors' rays (checks, probes). */
  public static final int DEFAULT_MAX_RESPONSE_HEAD = 128 * 1024;

  private final Class<? extends SocketChannel> channel;

  public OriginConnector(Class<? extends SocketChannel> channel) {
    this.channel = channel;
  }

  /**
   * Where and how to connect.
   *
   * @param source the local address to bind (an egress address), or null to let the kernel choose
   * @param sni the name sent in TLS and checked against the certificate when the leg validates
   */
  public record Dial(InetSocketAddress target, InetSocketAddress source, OriginLeg leg, String sni,
      Duration connectTimeout, int maxResponseHead) {}

  /** How a connection attempt ended; {@code nanos} is the time it took, TCP and TLS together. */
  public sealed interface Outcome {
    long nanos();

    /** Ready for a request: the codec is in place, auto-read is off. */
    record Connected(Channel channel, long nanos) implements Outcome {}

    /** @param stage CONNECT (TCP) or HANDSHAKE (TLS) */
    record Failed(ClassifiedFailure failure, Stage stage, long nanos) implements Outcome {}
  }

  /**
   * Connects on {@code loop} and tells {@code done} on that loop.
   *
   * @param tail adds the caller's handlers after the codec
   * @param whenGone runs once the connection is gone (closed, or never opened), e.g. to free a connection slot
   */
  public void connect(EventLoop loop, Dial dial, Consumer<ChannelPipeline> tail, Runnable whenGone, Consumer<Outcome> done) {
    long begin = System.nanoTime();
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(channel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, dial.connectTimeout().toMillis()))
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, Transport.BUFFERS)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelHandler tls = dial.leg().newHandler(ch, dial.sni(), dial.target(), dial.connectTimeout());
            if (tls != null) ch.pipeline().addLast(TLS, tls).addLast(HandshakeErrors.INSTANCE);
            ch.pipeline().addLast(CODEC, new OriginHttpCodec(decoder(dial.maxResponseHead())));
            tail.accept(ch.pipeline());
          }
        });
    ChannelFuture connecting = dial.source() == null ? b.connect(dial.target()) : b.connect(dial.target(), dial.source());
    if (whenGone != null) {
      connecting.channel().closeFuture().addListener(closed -> whenGone.run());
      // a channel that never registered (no file descriptor left) never completes its close future
      connecting.addListener(f -> {
        if (!f.isSuccess() && !connecting.channel().isRegistered()) whenGone.run();
      });
    }
    // connected means TCP and, for an HTTPS origin, the TLS handshake too
    connecting.addListener((ChannelFuture f) -> OriginLeg.ready(f).addListener(ready -> {
      long took = System.nanoTime() - begin;
      if (ready.isSuccess()) {
        done.accept(new Outcome.Connected(f.channel(), took));
      } else {
        if (f.isSuccess()) f.channel().close();
        Stage stage = f.isSuccess() ? Stage.HANDSHAKE : Stage.CONNECT;
        done.accept(new Outcome.Failed(ErrorClassifier.classify(stage, ready.cause()), stage, took));
      }
    }));
  }

  /**
   * A failed TLS handshake is the connect's outcome ({@code Failed} at HANDSHAKE): the exception
   * the TLS handler also fires stops here instead of reaching a caller's pipeline, which has
   * nothing to do with it (the doctor's probe had no handler for it, and Netty warned about an
   * unhandled exception at every 525 it diagnosed). Gone once the handshake succeeds.
   */
  @ChannelHandler.Sharable
  private static final class HandshakeErrors extends ChannelInboundHandlerAdapter {
    static final HandshakeErrors INSTANCE = new HandshakeErrors();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) ctx.pipeline().remove(this);
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      SslHandler tls = ctx.pipeline().get(SslHandler.class);
      if (tls != null && !tls.handshakeFuture().isSuccess()) return; // reported by the outcome
      ctx.fireExceptionCaught(cause);
    }
  }

  private static HttpDecoderConfig decoder(int maxResponseHead) {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(maxResponseHead)
        .setMaxChunkSize(64 * 1024)
        .setValidateHeaders(true);
  }
}
