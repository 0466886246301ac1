package io.edgeray.edge;

import io.edgeray.upstream.OriginConnectionPool;
import io.edgeray.upstream.Peer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The origin's response body on its way to the visitor: the origin-body pump. Chunks are written
 * as they come and flushed once per origin read batch, and the origin is read again only when the
 * visitor can take more, which is all of backpressure. A visitor that leaves mid-body while a
 * phase still wants the rest (a copy being stored) leaves the origin to be read on alone, at its
 * own pace. At the end the connection goes back to the pool when it can carry another request.
 *
 * <p>{@link ProxyFlow} keeps the state, the timers and the end of the ray; this class moves the
 * bytes and knows what the origin's head said about its connection. It is made at a ray's first
 * origin connection (an answer the edge makes itself needs none).
 */
final class ResponseBody {
  private final Exchange ex;
  private final Phases phases;
  private final Channel visitor;
  private final OriginConnectionPool pool;
  private boolean keepOrigin;
  /** How long the origin said it keeps the connection, or null. */
  private Duration originKeepAlive;
  /** Whether the origin's whole response arrived (and went to the visitor, unless it left). */
  private boolean complete;
  /** The visitor left mid-body but a phase wants the rest: the origin is read on alone. */
  private boolean visitorLeft;

  ResponseBody(Exchange ex, Phases phases, Channel visitor, OriginConnectionPool pool) {
    this.ex = ex;
    this.phases = phases;
    this.visitor = visitor;
    this.pool = pool;
  }

  /**
   * What the origin's head says about its connection, read before any phase sees the head: whether
   * it may carry another request once this body is over (a close-delimited body ends with it).
   */
  void head(HttpResponse res, boolean bodyless) {
    originKeepAlive = OriginConnectionPool.keepAliveTimeout(res.headers());
    boolean delimited = HttpUtil.isContentLengthSet(res) || HttpUtil.isTransferEncodingChunked(res);
    keepOrigin = HttpUtil.isKeepAlive(res) && res.status().code() != 101 && (delimited || bodyless);
  }

  /** Every chunk, the last too: counted for the visitor (while it is there) and shown to the phases. */
  void arrived(HttpContent c) {
    if (!visitorLeft) ex.bytesOut += c.content().readableBytes();
    phases.responseBody(ex, c);
  }

  /**
   * A chunk before the last: false when the visitor left and no phase wants the rest any more
   * (the copy went over max_object_size, say), so the origin need not be read on.
   */
  boolean more(HttpContent c) {
    if (!visitorLeft) {
      visitor.write(c); // flushed once per origin read, in readComplete
      return true;
    }
    ReferenceCountUtil.release(c);
    return phases.wantsRestOfBody(ex);
  }

  /** The last chunk: returns the visitor's last write, or when it left, nothing to wait for. */
  ChannelFuture last(HttpContent c) {
    complete = true;
    if (!visitorLeft) return visitor.writeAndFlush(c);
    ReferenceCountUtil.release(c);
    return visitor.newSucceededFuture();
  }

  /**
   * The exchange on {@code origin} is over: the connection goes back to the pool when the origin,
   * the visitor's request and the origin's connection limit all allow it; else it is closed.
   */
  void exchangeEnded(Channel origin, Peer served, SocketAddress connectionKey, boolean requestComplete) {
    // a request waiting for a connection slot gets this one's by its closing
    boolean slotWanted = served.limit() != null && served.limit().hasWaiters();
    int leftover = pool.exchangeEnded(origin, connectionKey, keepOrigin && requestComplete && !slotWanted,
        originKeepAlive);
    if (leftover > 0) {
      ex.detail = "origin sent " + leftover + " bytes after the end of its response (more than its Content-Length):"
          + " connection closed, never reused";
    }
  }

  /** One origin read batch is in: flushed to the visitor, and the origin read again if the visitor can take more. */
  void readComplete(Channel origin, boolean streaming) {
    if (streaming && !visitorLeft) visitor.flush();
    if ((visitorLeft || visitor.isWritable()) && origin != null) {
      origin.read(); // without a visitor, at the origin's pace
    }
  }

  /** The visitor took what was written: the origin's next batch. */
  void visitorWritable(Channel origin) {
    origin.read();
  }

  /**
   * The visitor left in the middle of the origin's body, which a phase still wants (a copy being
   * stored, perhaps streamed to other visitors): the fetch is its own task, as in Varnish, and
   * goes on to the end of the body. The ray ends, and is logged, when the body does.
   */
  void readOnAlone(Channel origin) {
    visitorLeft = true;
    ex.abort = "visitor closed the connection";
    ex.addDetail("the origin's answer was read on without the visitor, to complete the stored copy");
    origin.read();
  }

  boolean complete() {
    return complete;
  }
}
