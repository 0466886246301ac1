package io.edgeray.hardening;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.util.function.Supplier;

/**
 * Stands in for the HTTP codec of a keep-alive connection that has been idle for a while, and
 * puts a new codec back at the first byte of its next request (or, though none comes while no ray
 * runs, a write). A codec between two requests holds nothing that matters, only its parsers'
 * buffers and state, some 800 bytes; an edge holding thousands of idle keep-alive connections
 * keeps a twentieth of that per connection instead, as nginx frees an idle connection's buffers.
 * The connections in use never change their codec: it is shed only after a second of idleness.
 */
public final class IdleCodec extends ChannelDuplexHandler {
  private final String name;
  private final Supplier<VisitorHttpCodec> next;

  private IdleCodec(String name, Supplier<VisitorHttpCodec> next) {
    this.name = name;
    this.next = next;
  }

  /**
   * Puts an idle codec in the place of the codec named {@code name} when that one is between two
   * requests; {@code next} makes the codec that takes over again. False when it is not between requests.
   */
  public static boolean replace(ChannelPipeline p, String name, Supplier<VisitorHttpCodec> next) {
    if (!(p.get(name) instanceof VisitorHttpCodec codec) || !codec.holdsNothing()) return false;
    p.replace(codec, name, new IdleCodec(name, next));
    return true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    VisitorHttpCodec codec = wake(ctx);
    codec.channelRead(ctx.pipeline().context(codec), msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    VisitorHttpCodec codec = wake(ctx);
    codec.write(ctx.pipeline().context(codec), msg, promise);
  }

  private VisitorHttpCodec wake(ChannelHandlerContext ctx) {
    VisitorHttpCodec codec = next.get();
    ctx.pipeline().replace(this, name, codec);
    return codec;
  }
}
