package io.edgeray.hardening;

import io.edgeray.phase.SharedFields;
import io.netty.buffer.ByteBuf;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of a visitor connection: {@link StrictRequestDecoder} in, and an encoder
 * that, like Netty's HttpServerCodec (which cannot take another decoder), pairs each response with
 * the method of its request so that a response to HEAD is encoded without a body, and writes the
 * fields an answer shares with others (a stored copy's) as the bytes they were encoded to once.
 */
public final class VisitorHttpCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, HttpResponseEncoder> {
  /** Usually one method at a time (more only while a visitor pipelines): room for two, growing as needed. */
  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);

  public VisitorHttpCodec(HttpDecoderConfig config, Duration requestHeadTimeout) {
    this(config, requestHeadTimeout, EdgeTimers.SYSTEM);
  }

  /** @param timers where the request-head deadline is scheduled: {@link EdgeTimers#SYSTEM} but in tests */
  public VisitorHttpCodec(HttpDecoderConfig config, Duration requestHeadTimeout, EdgeTimers timers) {
    this(config, requestHeadTimeout, timers, true);
  }

  /**
   * @param firstRequest false for a codec that takes over a connection between two of its
   *     requests ({@link IdleCodec}): the next request's deadline runs from its first byte
   */
  public VisitorHttpCodec(HttpDecoderConfig config, Duration requestHeadTimeout, EdgeTimers timers, boolean firstRequest) {
    init(new StrictRequestDecoder(config, requestHeadTimeout, timers, methods::add, firstRequest), new Encoder());
  }

  /** Whether the connection is between two requests: nothing held of the next, no response owed. */
  public boolean holdsNothing() {
    return methods.isEmpty() && inboundHandler().holdsNothing();
  }

  private final class Encoder extends HttpResponseEncoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse res) {
      // interim answers (100 Continue, 101) precede the final response to the same request
      if (res.status().codeClass() == HttpStatusClass.INFORMATIONAL) return super.isContentAlwaysEmpty(res);
      return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(res);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      if (!SharedFields.writeTo(headers, buf)) super.encodeHeaders(headers, buf);
    }
  }
}
