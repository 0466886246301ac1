package io.edgeray.edge;

import io.edgeray.hardening.RequestChecks;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The visitor's request body on its way to the origin. It can arrive before there is an origin
 * connection (held), while one is being written to (forwarded, with copies kept for a replay),
 * or after a try failed (sent again from the copies): {@link ProxyFlow} only says which try's
 * connection is current, and this class keeps the bytes straight across tries.
 *
 * <p>It is one object per ray that allocates nothing more for a request without a body, and it
 * is itself the listener of the last chunk's write, so a try costs no callback object.
 */
final class RequestBody implements ChannelFutureListener {
  private final ProxyFlow flow;
  private final Channel visitor;
  private final HttpRequest request;
  /** Only an idempotent request is ever sent twice, so only its chunks are copied. */
  private final boolean idempotent;
  /** Chunks that came before the origin connection did (or copies to send again); made at the first. */
  private ArrayDeque<HttpContent> held;
  /** Made at the first chunk with bytes: a request without a body keeps nothing. */
  private ReplayBuffer replay;
  private boolean complete;
  private long forwarded;
  private boolean expectContinue;
  private boolean sentContinue;

  RequestBody(ProxyFlow flow, Channel visitor, HttpRequest request) {
    this.flow = flow;
    this.visitor = visitor;
    this.request = request;
    this.idempotent = isIdempotent(request.method());
    // a request without a body is complete with its head; the codec's empty last chunk that
    // follows is released by arrived()
    this.complete = request.decoderResult().isFailure() || !HttpUtil.isTransferEncodingChunked(request)
        && RequestChecks.bodyLength(request.headers().getAll(HttpHeaderNames.CONTENT_LENGTH)) <= 0;
  }

  /** Whether the visitor has sent the whole body (or there is none). */
  boolean complete() {
    return complete;
  }

  /** Whether the edge already sent the visitor a 100 Continue, so the origin's is not passed on. */
  boolean sentContinue() {
    return sentContinue;
  }

  /** Reads the visitor's Expect: 100-continue as the early phases left the request. */
  void readExpect() {
    expectContinue = HttpUtil.is100ContinueExpected(request);
  }

  /**
   * Counts a chunk from the visitor in; false when it is the codec's empty last chunk of a request
   * that was already complete, which is released here.
   */
  boolean arrived(HttpContent c) {
    if (complete) {
      ReferenceCountUtil.release(c);
      return false;
    }
    if (c instanceof LastHttpContent) complete = true;
    return true;
  }

  /** A chunk that came before the origin connection: it waits for {@link #followHead}. */
  void hold(HttpContent c) {
    held().add(c);
  }

  /** A chunk for the current try's origin; the visitor is read on while the origin can take more. */
  void send(HttpContent c, Channel origin) {
    if (origin == null || !origin.isActive()) {
      ReferenceCountUtil.release(c);
      return;
    }
    forward(c, origin);
    origin.flush();
    if (!complete) {
      if (origin.isWritable()) visitor.read(); else flow.originStalled();
    }
  }

  /**
   * Just after the request head went to a try's origin: the visitor that waits for a 100 Continue
   * gets it (once), then what is held follows the head; a complete request without a held chunk
   * ends with the empty last one.
   */
  void followHead(Channel origin) {
    boolean hasBody = HttpUtil.isContentLengthSet(request) || HttpUtil.isTransferEncodingChunked(request);
    if (expectContinue && hasBody && !complete) {
      expectContinue = false;
      sentContinue = true;
      visitor.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    if (nothingHeld() && complete) forward(LastHttpContent.EMPTY_LAST_CONTENT, origin);
    while (!nothingHeld()) forward(held.poll(), origin);
  }

  /** Whether the visitor's body should be read now: only while the origin can take it. */
  boolean wanted(Channel origin) {
    return !complete && origin != null && origin.isWritable();
  }

  /** Whether a failed try may be sent again whole: the visitor's part is all here or in the copies. */
  boolean replayable() {
    return idempotent && complete && (forwarded == 0 || replay != null && replay.holds(forwarded));
  }

  /** Before another try: the body goes again, from the copies, ahead of anything not yet sent. */
  void rewind() {
    if (forwarded == 0) return;
    ArrayDeque<HttpContent> again = held();
    if (replay != null) replay.moveTo(again);
    forwarded = 0;
  }

  /** An answer came: the request is never sent again. */
  void forgetCopies() {
    if (replay != null) replay.clear();
  }

  /** The edge answers itself: nothing more goes to an origin. */
  void drop() {
    if (held != null) {
      for (HttpContent c : held) ReferenceCountUtil.release(c);
      held.clear();
    }
    forgetCopies();
  }

  private void forward(HttpContent c, Channel origin) {
    int n = c.content().readableBytes();
    forwarded += n;
    if (idempotent && (replay != null || n > 0)) replay().keep(c);
    boolean last = c instanceof LastHttpContent;
    ChannelFuture f = origin.write(c);
    if (last) f.addListener(this);
  }

  /** The last chunk's write: once it is out, the origin's head is waited for (on that try's connection only). */
  @Override
  public void operationComplete(ChannelFuture written) {
    if (written.isSuccess()) flow.requestSent(written.channel());
  }

  private ReplayBuffer replay() {
    if (replay == null) replay = new ReplayBuffer();
    return replay;
  }

  private ArrayDeque<HttpContent> held() {
    if (held == null) held = new ArrayDeque<>(4);
    return held;
  }

  private boolean nothingHeld() {
    return held == null || held.isEmpty();
  }

  /** RFC 9110 §9.2.2: the methods whose effect is the same when a request is repeated. */
  static boolean isIdempotent(HttpMethod m) {
    return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.TRACE) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
  }
}
