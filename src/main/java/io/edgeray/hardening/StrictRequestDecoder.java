package io.edgeray.hardening;

import io.edgeray.failure.RequestHeadTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Netty's request decoder, made stricter where ambiguity is the attack surface, with a deadline
 * for every request head.
 *
 * <p>Netty parses a head line by line as bytes arrive, and it folds an obs-fold continuation line
 * into the previous value, leaving no trace to check afterwards. So this decoder holds the bytes of
 * a head until the blank line that ends it has arrived, scans them once for a line that starts
 * with a space or tab, refuses such a head (RFC 9112 §5.2 lets a server reject obs-fold; an edge
 * and an origin that unfold differently are a smuggling vector), and only then lets Netty parse.
 * A head that is over the size limits, or has a bare LF, goes to Netty at once, which refuses it
 * with its usual error. Holding costs nothing extra: Netty would buffer the same bytes.
 *
 * <p>Holding the head also gives the slowloris defence its clock. For a connection's first request
 * it starts when the connection opens, so connections that never send a byte cannot be held open
 * for the idle timeout (nginx's client_header_timeout does the same); for each later request on a
 * keep-alive connection it starts at the first byte of the head (after the stray CRLFs RFC 9112
 * §2.2 says to ignore), since waiting between requests is what keep-alive is for. The decoded head
 * disarms it. On expiry the visitor handler receives a failed request carrying
 * {@link RequestHeadTimeoutException}, which the edge answers with its 408 page; a connection that sent
 * nothing at all is closed without an answer, as a browser's unused preconnect expects.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

  /** A header line started with a space or tab: an obsolete line folding. */
  static final class ObsFoldException extends IllegalArgumentException {
    ObsFoldException(String message) {
      super(message);
    }
  }

  private enum State { HOLDING_HEAD, NETTY_PARSES, BROKEN }

  private final int holdLimit;
  private final Duration headTimeout;
  private final Consumer<HttpMethod> requestDecoded;
  private State state = State.HOLDING_HEAD;
  private boolean firstHead;
  private int scanned; // bytes of the held head already scanned, counted from the reader index
  private ChannelHandlerContext ctx;
  private final EdgeTimers timers;
  private Future<?> timer;

  /**
   * @param requestDecoded told the method of every request passed on, in order, so the encoder
   *     can pair each response with its request (a response to HEAD has no body)
   */
  StrictRequestDecoder(HttpDecoderConfig config, Duration headTimeout, EdgeTimers timers, Consumer<HttpMethod> requestDecoded) {
    this(config, headTimeout, timers, requestDecoded, true);
  }

  /** @param firstHead whether the connection's first request comes next (its deadline runs from the connection's start) */
  StrictRequestDecoder(HttpDecoderConfig config, Duration headTimeout, EdgeTimers timers, Consumer<HttpMethod> requestDecoded,
      boolean firstHead) {
    super(config);
    this.firstHead = firstHead;
    this.timers = timers;
    this.holdLimit = config.getMaxInitialLineLength() + config.getMaxHeaderSize() + 4;
    this.headTimeout = headTimeout;
    this.requestDecoded = requestDecoded;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    this.ctx = ctx;
    switch (state) {
      case BROKEN -> in.skipBytes(in.readableBytes()); // the connection is answered and closing
      case HOLDING_HEAD -> holdHead(ctx, in, out);
      case NETTY_PARSES -> parse(ctx, in, out);
    }
  }

  private void holdHead(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (scanned == 0) {
      while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
        in.skipBytes(1);
      }
      if (!in.isReadable()) return;
    }
    switch (scan(in)) {
      case INCOMPLETE -> {
        if (timer == null) armTimer(); // the head has begun and is not complete: its clock runs
        if (in.readableBytes() > holdLimit) {
          state = State.NETTY_PARSES; // over the limits: Netty says which one (414 or 431)
          parse(ctx, in, out);
        }
      }
      case COMPLETE, BARE_LF -> {
        state = State.NETTY_PARSES;
        parse(ctx, in, out);
      }
      case OBS_FOLD -> {
        HttpRequest failed = failedRequest(in, new ObsFoldException(
            "obs-fold: a header line starts with a space or tab (RFC 9112 §5.2); refused as ambiguous"));
        in.skipBytes(in.readableBytes());
        out.add(failed);
        broken();
      }
    }
  }

  private enum Scan { INCOMPLETE, COMPLETE, BARE_LF, OBS_FOLD }

  /** Looks at each LF of the held head once (the last three bytes again, to see across reads). */
  private Scan scan(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int i = start + Math.max(0, scanned - 3);
    while ((i = in.indexOf(i, end, (byte) '\n')) >= 0) {
      if (i == start || in.getByte(i - 1) != '\r') return Scan.BARE_LF;
      if (i - start >= 3 && in.getByte(i - 2) == '\n') return Scan.COMPLETE; // CR LF CR LF
      if (i + 1 < end) {
        byte next = in.getByte(i + 1);
        if (next == ' ' || next == '\t') return Scan.OBS_FOLD;
      } else {
        break; // the next line's first byte has not arrived: look at this LF again next time
      }
      i++;
    }
    scanned = end - start;
    return Scan.INCOMPLETE;
  }

  private void parse(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int before = out.size();
    int headStart = in.readerIndex();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest req && req.decoderResult().isFailure() && PLACEHOLDER.equals(req.uri())) {
        // Netty's stand-in for a head it could not parse: the log shows what was sent instead
        req.setUri(targetOf(in, headStart));
      }
      if (o instanceof HttpRequest req) {
        cancelTimer();
        firstHead = false;
        requestDecoded.accept(req.method());
      }
      if (o instanceof HttpObject h && h.decoderResult().isFailure()) {
        broken();
      } else if (o instanceof LastHttpContent && state == State.NETTY_PARSES) {
        state = State.HOLDING_HEAD; // the next bytes begin the next request's head
        scanned = 0;
      }
    }
  }

  /** Between two requests: no byte of the next one held, no deadline running, nothing broken. */
  boolean holdsNothing() {
    return state == State.HOLDING_HEAD && scanned == 0 && timer == null && !firstHead && !internalBuffer().isReadable();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    // added after a TLS handshake (ALPN), the connection is already active
    if (ctx.channel().isActive()) connectionOpened(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    connectionOpened(ctx);
    super.channelActive(ctx);
  }

  private void connectionOpened(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (timer == null && firstHead) armTimer();
  }

  private void armTimer() {
    timer = timers.schedule(ctx.executor(), this::headTimedOut, headTimeout);
  }

  private void headTimedOut() {
    timer = null;
    if (state == State.BROKEN || ctx.isRemoved()) return;
    ByteBuf held = internalBuffer();
    int bytes = held.readableBytes();
    if (firstHead && bytes == 0) {
      ctx.close(); // not one byte of a request: nothing to answer, nothing to log
      return;
    }
    HttpRequest failed = failedRequest(held, new RequestHeadTimeoutException("request head not complete "
        + headTimeout.toMillis() + " ms after " + (firstHead ? "the connection opened" : "its first byte")
        + " (" + bytes + " bytes of it held)"));
    held.skipBytes(bytes);
    broken();
    ctx.fireChannelRead(failed);
  }

  private void broken() {
    state = State.BROKEN;
    cancelTimer();
  }

  /** Netty's target for a request it could not parse. */
  private static final String PLACEHOLDER = "/bad-request";
  /** How much of an unparsable target the log keeps. */
  static final int LOGGED_TARGET = 1024;

  /**
   * The target of the request line that starts at {@code start} (the bytes are still in the
   * buffer after Netty gave up on them), cut to {@link #LOGGED_TARGET} characters.
   */
  private static String targetOf(ByteBuf in, int start) {
    int end = Math.min(in.writerIndex(), start + LOGGED_TARGET * 2 + 32);
    int space = in.indexOf(start, end, (byte) ' ');
    if (space < 0) return PLACEHOLDER;
    int stop = in.indexOf(space + 1, end, (byte) ' ');
    int cr = in.indexOf(space + 1, end, (byte) '\r');
    int targetEnd = stop < 0 ? (cr < 0 ? end : cr) : (cr < 0 ? stop : Math.min(stop, cr));
    int length = targetEnd - space - 1;
    if (length <= 0) return PLACEHOLDER;
    String target = in.toString(space + 1, Math.min(length, LOGGED_TARGET), StandardCharsets.ISO_8859_1);
    return length > LOGGED_TARGET ? target + "..." : target;
  }

  /**
   * A failed request for the visitor handler to refuse, with the method and target of the held
   * head when its request line is complete, so the log line shows what was being sent.
   */
  private FullHttpRequest failedRequest(ByteBuf held, Exception cause) {
    HttpMethod method = HttpMethod.GET;
    String uri = PLACEHOLDER;
    int eol = held.indexOf(held.readerIndex(), held.writerIndex(), (byte) '\r');
    if (eol > 0) {
      String[] parts = held.toString(held.readerIndex(), eol - held.readerIndex(), StandardCharsets.ISO_8859_1).split(" ");
      if (parts.length == 3) {
        try {
          method = HttpMethod.valueOf(parts[0]);
          uri = parts[1];
        } catch (IllegalArgumentException notAMethod) {
          // keep the placeholder: the log says the head was bad, not what it claimed
        }
      }
    }
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    req.setDecoderResult(DecoderResult.failure(cause));
    requestDecoded.accept(method);
    return req;
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.channelInactive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.handlerRemoved0(ctx);
  }
}
