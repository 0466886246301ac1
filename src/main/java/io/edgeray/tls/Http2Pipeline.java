package io.edgeray.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.logging.LogLevel;
import io.netty.util.AsciiString;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 end of a visitor connection after ALPN chose h2:
 *
 * <pre>
 * TLS -> flush consolidation -> frame guard (head deadline, closed stream ids) -> Netty's HTTP/2 frame codec -> multiplexer
 *   each stream: frames-to-HTTP/1 conversion -> stream guard -> the visitor handler
 * </pre>
 *
 * Netty does the validation RFC 9113 asks of a server: frame sizes and stream states, flow-control
 * windows, HPACK, header names and values, connection-specific headers, pseudo-headers (present,
 * known, once, before the regular ones, none in trailers), content-length against the DATA. What
 * Netty lacks is added in the smallest place: the frame guard, one extra header check (Host against
 * :authority), and the log line of a request refused before any visitor handler saw it
 * ({@link Http2Rejects}). The floods Netty knows are bounded with its own limits, listed in
 * {@link #codec}.
 */
final class Http2Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Http2Pipeline.class);
  /** Streams one visitor may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  static final int MAX_CONCURRENT_STREAMS = 256;
  /** RST_STREAM frames a visitor may send in {@link #RST_WINDOW_SECONDS} (rapid reset, CVE-2023-44487). */
  static final int MAX_RST_PER_WINDOW = 200;
  /** RST_STREAM frames the edge may be made to send in the same window ("MadeYouReset", CVE-2025-55163). */
  static final int MAX_EDGE_RST_PER_WINDOW = 200;
  static final int RST_WINDOW_SECONDS = 30;
  /** Control frames (SETTINGS and PING acks, RST_STREAM) queued for a visitor that does not read: SETTINGS and PING floods. */
  static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
  /** Empty DATA frames in a row without END_STREAM (CVE-2019-9518). */
  static final int MAX_CONSECUTIVE_EMPTY_DATA = 2;
  /** CONTINUATION frames of under 8 KiB a header block may have (CVE-2024-27316 class). */
  static final int MAX_SMALL_CONTINUATIONS = 16;

  private Http2Pipeline() {}

  static void configure(Channel ch, VisitorTlsInitializer.Protocols protocols) {
    Http2Rejects rejects = new Http2Rejects(protocols, ch.remoteAddress());
    Http2FrameCodec codec = codec(protocols, rejects);
    // Each stream's answer ends in a flush of the connection, and it comes in on an origin read, not
    // on a read of this connection (where the multiplexer would hold stream flushes until the read
    // completes): without this, every stream is a TLS record and a write system call of its own.
    // With it, the streams answered in one turn of the event loop go out in one wrap and one write;
    // a connection that stops being writable is flushed at once.
    ch.pipeline().addLast("h2-flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    ch.pipeline().addLast("h2-guard", new Http2FrameGuard(codec, rejects, protocols.requestHeadTimeout()));
    ch.pipeline().addLast("h2", codec);
    ch.pipeline().addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.config().setAutoRead(false);
        stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
        stream.pipeline().addLast("h2-stream", new Http2StreamGuard(rejects));
        stream.pipeline().addLast(protocols.newVisitorHandler());
      }
    }));
    ch.pipeline().addLast("h2-connection", new Connection(codec, protocols));
    ch.config().setAutoRead(true);
  }

  private static Http2FrameCodec codec(VisitorTlsInitializer.Protocols protocols, Http2Rejects rejects) {
    return new Builder(rejects)
        .initialSettings(Http2Settings.defaultSettings()
            .maxHeaderListSize(protocols.maxHeaderListSize())
            .maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
        .validateHeaders(true)
        .validateRequiredPseudoHeaders(true)
        .frameLogger(new Observer(rejects))
        .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
        .encoderEnforceMaxRstFramesPerWindow(MAX_EDGE_RST_PER_WINDOW, RST_WINDOW_SECONDS)
        .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
        .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA)
        .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
        .build();
  }

  /** Netty's frame codec builder, with our codec and decoder around what it builds. */
  private static final class Builder extends Http2FrameCodecBuilder {
    private final Http2Rejects rejects;

    Builder(Http2Rejects rejects) {
      this.rejects = rejects;
      server(true);
    }

    @Override
    protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      Codec codec = new Codec(encoder, new Decoder(decoder, rejects), settings, decoupleCloseAndGoAway(), flushPreface(), rejects);
      codec.gracefulShutdownTimeoutMillis(gracefulShutdownTimeoutMillis());
      return codec;
    }
  }

  /** The frame codec; a connection error the visitor caused is logged once, as it goes out as GOAWAY. */
  private static final class Codec extends Http2FrameCodec {
    private final Http2Rejects rejects;

    Codec(Http2ConnectionEncoder encoder, Http2ConnectionDecoder decoder, Http2Settings settings, boolean decouple,
        boolean flushPreface, Http2Rejects rejects) {
      super(encoder, decoder, settings, decouple, flushPreface);
      this.rejects = rejects;
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
      // outbound: the edge's own write failed, except for a visitor that floods control frames and does not read
      boolean visitors = !outbound || http2Ex != null && http2Ex.error() == Http2Error.ENHANCE_YOUR_CALM;
      if (visitors && http2Ex != null && http2Ex.error() != Http2Error.NO_ERROR && !connection().goAwaySent()) {
        rejects.connectionRefused(http2Ex.error(), http2Ex.getMessage());
      }
      super.onConnectionError(ctx, outbound, cause, http2Ex);
    }
  }

  /**
   * Around Netty's decoder: sees every error a visitor's frame causes (to log a refused request
   * once), and adds the one request check Netty lacks to its frame listener.
   */
  private static final class Decoder extends DecoratingHttp2ConnectionDecoder {
    private final Http2Rejects rejects;

    Decoder(Http2ConnectionDecoder delegate, Http2Rejects rejects) {
      super(delegate);
      this.rejects = rejects;
    }

    @Override
    public void frameListener(Http2FrameListener listener) {
      super.frameListener(new RequestChecks(listener));
    }

    @Override
    public void decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Http2Exception {
      try {
        super.decodeFrame(ctx, in, out);
      } catch (Http2Exception.CompositeStreamException composite) {
        for (Http2Exception.StreamException e : composite) refused(e);
        throw composite;
      } catch (Http2Exception.StreamException e) {
        refused(e);
        throw e;
      }
    }

    private void refused(Http2Exception.StreamException e) {
      // a stream the codec has is a child channel, whose stream guard logs it if need be
      rejects.unknownStreamRefused(connection(), e);
    }
  }

  /**
   * The request checks of RFC 9113 that Netty's decoder does not make (it validates field names;
   * values are checked only later, when a stream converts them to HTTP/1 headers, and never for
   * white space at their ends):
   *
   * <ul>
   *   <li>§8.2.1: a field value with NUL, CR or LF, or starting or ending with a space or tab, is
   *       malformed; CR LF would otherwise reach the origin as a header line of its own;
   *   <li>§8.3.1: a Host that names another entity than :authority is malformed (a SHOULD; the
   *       edge routes by one and the origin may read the other, so it must), and so are two Hosts.
   * </ul>
   */
  private static final class RequestChecks extends Http2FrameListenerDecorator {
    RequestChecks(Http2FrameListener listener) {
      super(listener);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endStream)
        throws Http2Exception {
      check(streamId, headers);
      super.onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
        boolean exclusive, int padding, boolean endStream) throws Http2Exception {
      check(streamId, headers);
      super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    }

    private static void check(int streamId, Http2Headers headers) throws Http2Exception {
      for (java.util.Map.Entry<CharSequence, CharSequence> e : headers) {
        CharSequence v = e.getValue();
        int n = v.length();
        if (n > 0 && (isSpace(v.charAt(0)) || isSpace(v.charAt(n - 1)))) {
          throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR,
              "value of %s starts or ends with white space (RFC 9113 §8.2.1)", e.getKey());
        }
        for (int i = 0; i < n; i++) {
          char ch = v.charAt(i);
          if (ch == 0 || ch == '\r' || ch == '\n') {
            throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR,
                "value of %s has character 0x%02x (RFC 9113 §8.2.1)", e.getKey(), (int) ch);
          }
        }
      }
      CharSequence authority = headers.authority();
      List<CharSequence> hosts = headers.getAll("host");
      if (hosts.size() > 1) {
        throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR, "more than one host header");
      }
      if (authority != null && hosts.size() == 1 && !AsciiString.contentEqualsIgnoreCase(authority, hosts.get(0))) {
        throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR, "host header %s differs from :authority %s",
            hosts.get(0), authority);
      }
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t';
    }
  }

  /**
   * Netty's frame logger is its hook for every decoded frame, both ways. This one logs nothing: it
   * remembers the last request head decoded (for the log line of a request refused before a
   * visitor handler saw it) and the streams the edge reset.
   */
  private static final class Observer extends Http2FrameLogger {
    private final Http2Rejects rejects;

    Observer(Http2Rejects rejects) {
      super(LogLevel.TRACE, Http2Pipeline.class);
      this.rejects = rejects;
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) {
      if (direction == Direction.INBOUND) rejects.headersDecoded(streamId, headers);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) {
      if (direction == Direction.INBOUND) rejects.headersDecoded(streamId, headers);
    }

    @Override
    public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
      if (direction == Direction.OUTBOUND) rejects.resetByEdge.add(streamId);
    }
  }

  /**
   * An HTTP/2 connection closes when it has had no stream open and read nothing for visitor_idle,
   * and goes away gracefully when the edge drains.
   */
  private static final class Connection extends ChannelInboundHandlerAdapter {
    private final Http2FrameCodec codec;
    private final VisitorTlsInitializer.Protocols protocols;
    private VisitorTlsInitializer.IdleTimeout idle;

    Connection(Http2FrameCodec codec, VisitorTlsInitializer.Protocols protocols) {
      this.codec = codec;
      this.protocols = protocols;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      idle = protocols.idleTimeout(ctx.channel(), () -> {
        if (codec.connection().numActiveStreams() == 0) ctx.close(); // else the last stream's end restarts it
      });
      codec.connection().addListener(new Http2ConnectionAdapter() {
        @Override
        public void onStreamClosed(Http2Stream stream) {
          if (codec.connection().numActiveStreams() == 0 && ctx.channel().isActive()) idle.restart();
        }
      });
      if (ctx.channel().isActive()) idle.restart();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      idle.stop();
    }

    /** Anything the visitor sends (a stream, a PING) is activity. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) idle.restart();
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      idle.stop();
      ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == protocols.drainEvent()) {
        ctx.close(); // GOAWAY; open streams may finish
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("HTTP/2 connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      // an HTTP/2 error is the codec's to answer (GOAWAY with its code, then close); closing here
      // first would send GOAWAY NO_ERROR instead
      if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) ctx.close();
    }
  }
}
