package io.edgeray.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits in each HTTP/2 stream's pipeline between the frame-to-HTTP/1 conversion and the visitor
 * handler. It takes out the x-http2-* headers the conversion adds (they must not reach the origin),
 * and keeps stream errors away from the visitor handler: the multiplexer resets the stream with
 * the error RFC 9113 names right after, and a visitor handler that closed the stream first would
 * turn it into CANCEL.
 *
 * <p>A stream error that comes before the request went on to the visitor handler (the request may
 * still be queued in the stream) refuses the request: it is logged here, once, and never handed
 * on. After that, the visitor handler has the request and logs it when the stream closes. A
 * request the conversion cannot make is reset with PROTOCOL_ERROR and logged here too.
 */
final class Http2StreamGuard extends ChannelInboundHandlerAdapter {
  /** values() copies the array on each call: once per request was an allocation for nothing. */
  private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSION_HEADERS = HttpConversionUtil.ExtensionHeaderNames.values();
  private final Http2Rejects rejects;
  private boolean handedOn;
  private boolean refused;

  Http2StreamGuard(Http2Rejects rejects) {
    this.rejects = rejects;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest req) {
      for (HttpConversionUtil.ExtensionHeaderNames n : EXTENSION_HEADERS) req.headers().remove(n.text());
      handedOn = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2Exception e) { // a stream error: the multiplexer resets the stream with its code
      if (!handedOn && !refused) refuse(ctx, e.error(), e.getMessage());
      return;
    }
    Http2Exception embedded = embedded(cause);
    if (!handedOn && !refused && embedded != null) {
      refuse(ctx, Http2Error.PROTOCOL_ERROR, embedded.getMessage());
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR)).addListener(f -> ctx.channel().close());
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private void refuse(ChannelHandlerContext ctx, Http2Error error, String why) {
    refused = true;
    rejects.streamRefused(((Http2StreamChannel) ctx.channel()).stream().id(), error, why);
  }

  private static Http2Exception embedded(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Http2Exception e) return e;
    }
    return null;
  }
}
