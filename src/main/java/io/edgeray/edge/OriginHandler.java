package io.edgeray.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Receives what an origin connection delivers and hands it to the ray that currently owns the
 * connection. A pooled connection has no owner; anything it receives then is unasked for, so it
 * is closed.
 */
final class OriginHandler extends ChannelInboundHandlerAdapter {
  private ProxyFlow flow;

  void flow(ProxyFlow flow) {
    this.flow = flow;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ProxyFlow f = flow;
    if (f == null || !(msg instanceof HttpObject obj)) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (obj.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      f.onMalformedResponse(obj.decoderResult().cause());
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse res) f.onResponseHead(res);
    if (msg instanceof HttpContent content) {
      if (flow == f) {
        f.onResponseContent(content);
      } else {
        ReferenceCountUtil.release(content);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flow != null) flow.onOriginReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (flow != null) flow.onOriginWritable();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ProxyFlow f = flow;
    flow = null;
    if (f != null) f.onOriginClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ProxyFlow f = flow;
    flow = null;
    ctx.close();
    if (f != null) f.onOriginError(cause);
  }
}
