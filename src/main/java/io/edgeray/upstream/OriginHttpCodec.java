package io.edgeray.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of an origin connection: Netty's request encoder and response decoder,
 * paired (as HttpClientCodec pairs them) so a response to HEAD has no body, and watching for bytes
 * the origin sends after the end of a response. Such bytes (a body longer than its Content-Length,
 * or anything sent on an idle connection) would be read as the answer to the next request on the
 * connection, maybe another visitor's; a connection that sends them is never trusted again.
 */
public final class OriginHttpCodec extends CombinedChannelDuplexHandler<OriginHttpCodec.Decoder, OriginHttpCodec.Encoder> {
  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
  private int bytesAfterResponse;
  private boolean answered = true; // no request is waiting for its response

  public OriginHttpCodec(HttpDecoderConfig config) {
    init(new Decoder(config), new Encoder());
  }

  /** Bytes the origin sent after the end of its last complete response; the connection must not be reused when above 0. */
  public int bytesAfterResponse() {
    return bytesAfterResponse;
  }

  final class Encoder extends HttpRequestEncoder {
    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
      if (msg instanceof HttpRequest req) {
        methods.add(req.method());
        answered = false;
      }
      super.encode(ctx, msg, out);
    }
  }

  final class Decoder extends HttpResponseDecoder {
    private boolean interim;

    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      if (answered) { // nothing was asked: these bytes can only be a leftover or garbage
        bytesAfterResponse += in.readableBytes();
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
      int before = out.size();
      super.decode(ctx, in, out);
      for (int i = before; i < out.size(); i++) {
        Object o = out.get(i);
        if (o instanceof HttpResponse res) interim = res.status().codeClass() == HttpStatusClass.INFORMATIONAL && res.status().code() != 101;
        if (o instanceof LastHttpContent && !interim) {
          answered = true;
          // counted before the response's end is passed on, so the ray that reads it knows
          bytesAfterResponse += in.readableBytes();
        }
      }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      HttpResponse res = (HttpResponse) msg;
      if (res.status().codeClass() == HttpStatusClass.INFORMATIONAL) return super.isContentAlwaysEmpty(msg);
      return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
    }
  }
}
