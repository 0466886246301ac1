package io.edgeray.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Watches the frames a visitor sends, before Netty's HTTP/2 codec decodes them, for the two things
 * the codec does not do: the request-head deadline, and the connection errors RFC 9113 §5.1 and
 * §5.1.1 ask for on closed and reused stream ids (Netty answers those with a stream error).
 *
 * <p>It reads only the 9-byte frame headers and passes every byte on unchanged; the codec does all
 * the decoding and every other check.
 *
 * <p>The deadline ({@code limits.request_head_timeout}) is the HTTP/2 form of the HTTP/1.1 408: the
 * first header block must be complete that long after the connection was set up, and every later
 * one that long after its first HEADERS frame began. A connection that never began a request is
 * closed without a log line; one whose header block is unfinished gets GOAWAY and one 408 line.
 * A header block in progress blocks the whole connection (no other frame may come between its
 * frames), so this also bounds a CONTINUATION trickle; the byte size of a block is bounded by
 * SETTINGS_MAX_HEADER_LIST_SIZE in the codec.
 */
final class Http2FrameGuard extends ChannelInboundHandlerAdapter {
  private static final int PREFACE_LENGTH = 24;
  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;

  private final Http2FrameCodec codec;
  private final Http2Rejects rejects;
  private final Duration headTimeout;
  private ChannelHandlerContext ctx;
  private int prefaceLeft = PREFACE_LENGTH;
  private final byte[] header = new byte[9];
  private int headerFill;
  private long payloadLeft;
  private boolean frameEndsBlock;
  private int blockStream;
  private boolean blockBegun;
  private boolean requestSeen;
  private boolean broken;
  private ScheduledFuture<?> timer;

  Http2FrameGuard(Http2FrameCodec codec, Http2Rejects rejects, Duration headTimeout) {
    this.codec = codec;
    this.rejects = rejects;
    this.headTimeout = headTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    armTimer(); // the first request's head: from the moment the connection speaks HTTP/2
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (broken) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    int i = start;
    while (i < end) {
      if (prefaceLeft > 0) {
        int n = Math.min(prefaceLeft, end - i);
        i += n;
        prefaceLeft -= n;
      } else if (payloadLeft > 0) {
        int n = (int) Math.min(payloadLeft, end - i);
        i += n;
        payloadLeft -= n;
        if (payloadLeft == 0) frameDone();
      } else {
        header[headerFill++] = in.getByte(i++);
        if (headerFill < header.length) continue;
        headerFill = 0;
        Http2Exception violation = frameBegins();
        if (violation != null) {
          int frameStart = Math.max(start, i - header.length);
          if (frameStart > start) ctx.fireChannelRead(in.retainedSlice(start, frameStart - start));
          in.release();
          broken = true;
          cancelTimer();
          codec.onError(ctx.pipeline().context(codec), false, violation);
          return;
        }
        if (payloadLeft == 0) frameDone();
      }
    }
    // a header block still open at the end of the read starts its deadline now, not at its first
    // frame a few bytes earlier: almost every block ends in the read that began it, and a timer
    // armed and cancelled for each would cost the loop's scheduled queue two operations per request
    if (blockBegun && timer == null) armTimer();
    ctx.fireChannelRead(in);
  }

  /** A frame header has arrived: remember what it starts, and say whether it breaks §5.1. */
  private Http2Exception frameBegins() {
    long length = ((header[0] & 0xffL) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
    int type = header[3] & 0xff;
    int flags = header[4] & 0xff;
    int stream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8) | (header[8] & 0xff);
    payloadLeft = length;
    frameEndsBlock = false;
    if (type == HEADERS) {
      Http2Exception e = closedStream(stream, "HEADERS");
      if (e != null) return e;
      Http2Connection c = codec.connection();
      if ((stream & 1) == 1 && stream > c.remote().lastStreamCreated()) rejects.opened.add(stream);
      if ((flags & END_STREAM) != 0) rejects.endedByVisitor.add(stream);
      blockBegun = true;
      blockStream = stream;
      frameEndsBlock = (flags & END_HEADERS) != 0;
    } else if (type == CONTINUATION) {
      frameEndsBlock = (flags & END_HEADERS) != 0;
    } else if (type == DATA) {
      Http2Exception e = closedStream(stream, "DATA");
      if (e != null) return e;
      if ((flags & END_STREAM) != 0) rejects.endedByVisitor.add(stream);
    }
    return null;
  }

  /**
   * HEADERS or DATA on a client stream the codec no longer has. After the visitor's own END_STREAM
   * it is a connection error STREAM_CLOSED (§5.1 "closed"); HEADERS on a stream the visitor reset,
   * too (a stream error there, which §5.4.1 lets an endpoint treat as a connection error); HEADERS
   * on an id lower than one already opened and never used is a connection error PROTOCOL_ERROR
   * (§5.1.1). A frame on a stream the edge reset itself may have been in flight and is left to the
   * codec, which discards it.
   */
  private Http2Exception closedStream(int stream, String frame) {
    Http2Connection c = codec.connection();
    if ((stream & 1) == 0 || stream > c.remote().lastStreamCreated() || c.stream(stream) != null) return null;
    if (rejects.endedByVisitor.contains(stream)) {
      return Http2Exception.connectionError(Http2Error.STREAM_CLOSED, "%s on stream %d after the visitor ended it with END_STREAM"
          + " (RFC 9113 §5.1)", frame, stream);
    }
    if (!frame.equals("HEADERS") || rejects.resetByEdge.contains(stream)) return null;
    if (rejects.opened.contains(stream)) {
      return Http2Exception.connectionError(Http2Error.STREAM_CLOSED, "HEADERS on closed stream %d (RFC 9113 §5.1)", stream);
    }
    return Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "HEADERS opening stream %d, not greater than %d already"
        + " opened (RFC 9113 §5.1.1)", stream, c.remote().lastStreamCreated());
  }

  private void frameDone() {
    if (frameEndsBlock) {
      frameEndsBlock = false;
      blockBegun = false;
      requestSeen = true;
      cancelTimer();
    }
  }

  private void armTimer() {
    timer = ctx.executor().schedule(this::headTimedOut, headTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void headTimedOut() {
    timer = null;
    if (broken || !ctx.channel().isActive()) return;
    broken = true;
    ChannelHandlerContext codecCtx = ctx.pipeline().context(codec);
    if (codecCtx == null) {
      ctx.close();
      return;
    }
    String why;
    if (blockBegun) {
      why = "HTTP/2 header block of stream " + blockStream + " not complete " + headTimeout.toMillis() + " ms after "
          + (requestSeen ? "its first frame" : "the connection opened");
      rejects.headTimedOut(why);
    } else {
      why = "no request " + headTimeout.toMillis() + " ms after the connection opened"; // nothing to log
    }
    codec.goAway(codecCtx, codec.connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
        Unpooled.copiedBuffer(why, StandardCharsets.US_ASCII), codecCtx.newPromise());
    ctx.channel().close();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimer();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
  }
}
