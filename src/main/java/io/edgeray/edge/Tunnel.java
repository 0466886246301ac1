package io.edgeray.edge;

import io.edgeray.upstream.OriginConnector;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * After a 101 Switching Protocols (WebSocket), the edge only relays bytes both ways. The HTTP
 * codecs leave both pipelines, and with the visitor handler its idle timeout (a tunnel may be
 * quiet for as long as its two ends like); backpressure is the same as for bodies: a side stops reading while
 * the other cannot take more.
 */
final class Tunnel {
  private Tunnel() {}

  static void open(Channel visitor, Channel origin, Runnable closed, Exchange ex) {
    AtomicBoolean done = new AtomicBoolean();
    Runnable onClose = () -> {
      if (done.compareAndSet(false, true)) {
        visitor.close();
        origin.close();
        closed.run();
      }
    };
    Relay toOrigin = new Relay(origin, n -> ex.bytesIn += n, onClose);
    Relay toVisitor = new Relay(visitor, n -> ex.bytesOut += n, onClose);
    // Relays go in first, so that bytes a codec already holds flow into them as it leaves.
    visitor.pipeline().addLast(toOrigin);
    origin.pipeline().addLast(toVisitor);
    origin.pipeline().remove(OriginHandler.class);
    origin.pipeline().remove(OriginConnector.CODEC);
    visitor.pipeline().remove(VisitorHandler.class);
    visitor.pipeline().remove(EdgeServer.CODEC);
    visitor.config().setAutoRead(true);
    origin.config().setAutoRead(true);
    if (!visitor.isActive() || !origin.isActive()) onClose.run();
  }

  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final java.util.function.LongConsumer counter;
    private final Runnable onClose;

    Relay(Channel peer, java.util.function.LongConsumer counter, Runnable onClose) {
      this.peer = peer;
      this.counter = counter;
      this.onClose = onClose;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      counter.accept(buf.readableBytes());
      peer.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) onClose.run();
      });
      if (!peer.isWritable()) ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // this side drained: let the peer read again
      if (ctx.channel().isWritable()) peer.config().setAutoRead(true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onClose.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      onClose.run();
    }
  }
}
