package io.edgeray.edge;

import io.edgeray.hardening.IdleCodec;
import io.edgeray.hardening.VisitorHttpCodec;
import io.edgeray.tls.VisitorTlsInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * One visitor connection: it runs one {@link ProxyFlow} at a time, holds pipelined requests until
 * their turn, and reads from the socket only when a ray is ready for more (auto-read is off). On
 * HTTP/1.1 it also keeps the connection's idle timeout: it runs while no ray is in progress, from
 * the connection's start, the last write of a response or a read that started no ray, and closes
 * the connection when it expires; a second into it the connection sheds its HTTP codec
 * ({@link IdleCodec}), which a new one replaces at the next request's first byte. (On HTTP/2 the
 * handler is a stream's; the connection keeps it.)
 */
final class VisitorHandler extends ChannelInboundHandlerAdapter {
  /** Fired at every visitor connection when the edge starts draining. */
  static final Object DRAIN = new Object();
  /** How long a closing connection's last response is given before the socket is closed under it. */
  static final Duration LINGER = Duration.ofSeconds(2);

  private final EdgeContext edge;
  /** Room for one: a visitor that pipelines is rare, and an idle connection should hold little (it grows as needed). */
  private final ArrayDeque<HttpObject> pipelined = new ArrayDeque<>(1);
  private ChannelHandlerContext ctx;
  private ProxyFlow flow;
  private String clientIp;
  private InetAddress clientAddress;
  /** Looked up once: finding the TLS handler walks the pipeline, which every ray would pay. */
  private boolean https;
  private boolean closing;
  private boolean started;
  /**
   * How long an idle HTTP/1.1 connection keeps its codec (when its idle timeout is at least twice
   * as long). A connection in use sends its next request well within it, so only idle ones ever
   * shed theirs; a visitor's next click after the doze costs a new codec, about a microsecond.
   */
  static final Duration DOZE_AFTER = Duration.ofSeconds(1);
  /** The codec for a later request after a doze; null for an HTTP/2 stream, whose connection keeps the idle timeout. */
  private final Supplier<VisitorHttpCodec> laterCodec;
  private VisitorIdle idle;

  /**
   * @param laterCodec for an HTTP/1.1 connection, whose idle timeout this handler keeps: makes the
   *     codec that takes over after a doze ({@link IdleCodec}); null for an HTTP/2 stream
   */
  VisitorHandler(EdgeContext edge, Supplier<VisitorHttpCodec> laterCodec) {
    this.edge = edge;
    this.laterCodec = laterCodec;
  }

  /** Added to an already active channel after a TLS handshake, or to an HTTP/2 stream: start at once. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) channelActive(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (started) return;
    started = true;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    clientAddress = remote == null ? null : remote.getAddress();
    clientIp = clientAddress == null ? "-" : clientAddress.getHostAddress();
    https = VisitorTlsInitializer.isHttps(ctx.channel()); // TLS comes before this handler, never after
    if (laterCodec != null) {
      idle = new VisitorIdle(edge, ctx.channel().eventLoop()) {
        @Override
        void timedOut() {
          if (flow == null) VisitorHandler.this.ctx.close(); // idle between rays, or lingering after the last
        }

        @Override
        Duration dozeAfter() {
          return DOZE_AFTER;
        }

        @Override
        void doze() {
          if (flow != null || closing || !pipelined.isEmpty()) return;
          IdleCodec.replace(VisitorHandler.this.ctx.pipeline(), EdgeServer.CODEC, laterCodec);
        }
      };
      idle.restart();
    }
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject obj) || closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // a pipelined request waits until the current response is out; content with nothing held is
    // the current request's own (the codec's empty last chunk after a bodiless head), which the
    // flow drops: holding it would stop the read-ahead below
    if (!pipelined.isEmpty() || flow != null && flow.requestComplete() && obj instanceof HttpRequest) {
      pipelined.add(obj);
      return;
    }
    dispatch(obj);
  }

  private void dispatch(HttpObject obj) {
    if (flow == null) {
      if (obj instanceof HttpRequest req) {
        if (idle != null) idle.stop(); // a connection with a ray in progress is not idle
        flow = new ProxyFlow(edge, this, ctx.channel(), req, clientIp, clientAddress, https);
        if (obj instanceof HttpContent c) {
          flow.start();
          if (flow != null) flow.onVisitorContent(c); else ReferenceCountUtil.release(c);
        } else {
          flow.start();
        }
      } else {
        ReferenceCountUtil.release(obj); // the rest of a body we no longer want
      }
    } else if (obj instanceof HttpContent c) {
      flow.onVisitorContent(c);
    } else {
      ReferenceCountUtil.release(obj);
    }
  }

  /**
   * Reads on while the current request is complete and nothing waits: a keep-alive visitor's next
   * request then finds a read already pending. Letting the read lapse and asking again costs two
   * {@code epoll_ctl} calls per request; what a pipelining visitor sends meanwhile is held (one
   * read's worth at most, as reading stops once anything is held).
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (closing) return;
    if (flow == null && idle != null) idle.restart(); // a read that started no ray (part of a head) is activity
    if (pipelined.isEmpty() && (flow == null || flow.requestComplete() || flow.wantsBody())) ctx.read();
  }

  /** Called by the flow when its response is written (or failed). */
  void flowDone(ProxyFlow done, boolean keepAlive, ChannelFuture lastWrite) {
    if (flow != done) return;
    flow = null;
    if (!keepAlive || edge.draining || closing) {
      // a visitor that said close and whose request was read to its end sends nothing more (RFC
      // 9112 §9.6): nothing unread can turn the close into a reset, so there is nothing to linger for
      boolean allRead = done.visitorSaidClose() && done.requestComplete() && pipelined.isEmpty();
      closing = true;
      releasePipelined();
      lastWrite.addListener(f -> {
        if (allRead) ctx.close(); else lingeringClose();
      });
      return;
    }
    while (flow == null && !pipelined.isEmpty()) dispatch(pipelined.poll());
    while (flow != null && !flow.requestComplete() && !pipelined.isEmpty()) dispatch(pipelined.poll());
    if (flow == null && idle != null) idle.restartAfter(lastWrite);
    if (flow == null || flow.wantsBody()) ctx.read();
  }

  /**
   * Closes after the last response without losing it: closing a socket that still has unread
   * request bytes (an oversized head, an unread body) makes the kernel send a reset, which can
   * destroy the response in flight. So the edge stops writing, reads and discards for a moment,
   * and closes when the visitor does or two seconds have passed. The two seconds are the idle
   * timer's, which the close cancels: a task in the loop's queue would hold the closed connection
   * for the whole two seconds, and at 15,000 closes a second that is 70 MiB of heap kept alive
   * and collected by full collections of 100 ms each.
   */
  private void lingeringClose() {
    Channel ch = ctx.channel();
    if (!(ch instanceof DuplexChannel duplex) || !ch.isActive() || idle == null) {
      ch.close();
      return;
    }
    duplex.shutdownOutput().addListener(f -> {
      ch.config().setAutoRead(true);
      if (ch.isActive()) idle.restart(LINGER); else ch.close();
    });
  }

  /** After a WebSocket upgrade the connection belongs to the tunnel. */
  void handOverToTunnel() {
    flow = null;
    closing = true;
    releasePipelined();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (flow != null) flow.onVisitorWritable();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DRAIN && flow == null) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (idle != null) idle.stop();
    closing = true;
    releasePipelined();
    if (flow != null) flow.onVisitorGone();
    flow = null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset by the visitor: channelInactive ends the ray and logs it
  }

  /** Removed by a tunnel (which has no idle timeout), or as the channel goes: the loop's timers must not keep it. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (idle != null) idle.stop();
  }

  private void releasePipelined() {
    pipelined.forEach(ReferenceCountUtil::release);
    pipelined.clear();
  }
}
