package io.edgeray.tls;

import io.edgeray.failure.EdgeError;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.observe.RayId;
import io.edgeray.observe.RaySummary;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What one HTTP/2 connection remembers about its visitor's streams, so that a request the HTTP/2
 * layer refuses before any visitor handler saw it still ends in exactly one access-log line.
 *
 * <p>A stream whose request reached the visitor handler is logged by the proxy path, whatever
 * happens to it later. Any other stream the edge resets (a malformed header block, a missing
 * pseudo-header) and every connection error the visitor caused are logged here, with the
 * method, host, path and user agent of the last header block decoded for that stream when there
 * was one. Small rings of recent stream ids (opened, ended by the visitor, reset by the edge) let
 * the frame guard tell a frame on a closed stream from one on a stream id never used.
 */
final class Http2Rejects {
  private static final int RING = 128;

  private final VisitorTlsInitializer.Protocols protocols;
  private final String clientIp;
  private int lastHeadersStream;
  private Http2Headers lastHeaders;
  final IntRing opened = new IntRing(RING);
  final IntRing endedByVisitor = new IntRing(RING);
  final IntRing resetByEdge = new IntRing(RING);

  Http2Rejects(VisitorTlsInitializer.Protocols protocols, SocketAddress remote) {
    this.protocols = protocols;
    this.clientIp = remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : "-";
  }

  /** A header block was decoded for {@code streamId} (before Netty's checks of its state and pseudo-headers). */
  void headersDecoded(int streamId, Http2Headers headers) {
    lastHeadersStream = streamId;
    lastHeaders = headers;
  }

  /**
   * The codec resets a stream it has no record of (a stream error on a new stream id, before the
   * stream was created): the refused request's one log line. A late frame on a stream already
   * closed is not a new request and gets none.
   */
  void unknownStreamRefused(Http2Connection connection, Http2Exception.StreamException e) {
    if (connection.stream(e.streamId()) != null || e.streamId() <= connection.remote().lastStreamCreated()) return;
    // a header list over SETTINGS_MAX_HEADER_LIST_SIZE: Netty answers 431, as HTTP/1.1 does
    EdgeRefusal refusal = e instanceof Http2Exception.HeaderListSizeException ? EdgeRefusal.HEAD_TOO_LARGE : EdgeRefusal.BAD_REQUEST;
    streamRefused(e.streamId(), refusal, "HTTP/2 stream " + e.streamId() + " reset with " + e.error() + ": " + e.getMessage());
  }

  /** The edge resets a stream whose request never reached a visitor handler: its one log line, once. */
  void streamRefused(int streamId, Http2Error error, String why) {
    streamRefused(streamId, EdgeRefusal.BAD_REQUEST, "HTTP/2 stream " + streamId + " reset with " + error + ": " + why);
  }

  private void streamRefused(int streamId, EdgeRefusal refusal, String detail) {
    boolean again = resetByEdge.contains(streamId);
    resetByEdge.add(streamId);
    if (again) return;
    log(streamId == lastHeadersStream ? lastHeaders : null, refusal, detail);
  }

  /** The edge ended the connection (GOAWAY) because of something the visitor sent: one line for it. */
  void connectionRefused(Http2Error error, String why) {
    log(null, EdgeRefusal.BAD_REQUEST, "HTTP/2 connection closed with GOAWAY " + error + ": " + why);
  }

  /** A header block was not complete in time (the HTTP/2 form of a 408). */
  void headTimedOut(String why) {
    log(null, EdgeRefusal.REQUEST_TIMEOUT, why);
  }

  private void log(Http2Headers h, EdgeError error, String detail) {
    String method = text(h == null ? null : h.method());
    String path = text(h == null ? null : h.path());
    String host = h == null || h.authority() == null ? "" : host(h.authority().toString());
    String agent = h == null || h.get("user-agent") == null ? null : h.get("user-agent").toString();
    protocols.rayFinished(new RaySummary(Instant.now(), RayId.next(protocols.node()), protocols.node(), clientIp, method,
        host, path, null, error.status(), 0, error, detail, null, null, List.of(), 0, 0, 0, -1, -1, agent, false, java.util.Map.of()));
  }

  private static String text(CharSequence s) {
    if (s == null) return "-";
    String t = s.toString();
    return t.length() > 1024 ? t.substring(0, 1024) : t;
  }

  private static String host(String authority) {
    String a = authority.toLowerCase(Locale.ROOT);
    int at = a.lastIndexOf('@');
    if (at >= 0) a = a.substring(at + 1);
    if (a.startsWith("[")) return a;
    int colon = a.lastIndexOf(':');
    return colon >= 0 ? a.substring(0, colon) : a;
  }

  /** The last few ints added; enough to recognise a recently closed stream without a set that grows. */
  static final class IntRing {
    private final int[] values;
    private int next;
    private int size;

    IntRing(int capacity) {
      values = new int[capacity];
    }

    void add(int v) {
      values[next] = v;
      next = (next + 1) % values.length;
      if (size < values.length) size++;
    }

    boolean contains(int v) {
      for (int i = 0; i < size; i++) {
        if (values[i] == v) return true;
      }
      return false;
    }
  }
}
