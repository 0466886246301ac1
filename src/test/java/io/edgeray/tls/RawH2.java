package io.edgeray.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A visitor that writes HTTP/2 frames byte by byte, right or wrong, over TLS with ALPN h2, and
 * reads every frame the edge sends back. Header blocks are HPACK literals without indexing, in the
 * order given and exactly as given (upper case, pseudo-headers anywhere, duplicates), so a test can
 * build any malformed request. A reader thread queues the edge's frames; tests wait for one.
 */
final class RawH2 implements AutoCloseable {
  static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5, PING = 6, GOAWAY = 7,
      WINDOW_UPDATE = 8, CONTINUATION = 9;
  static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;
  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** A frame the edge sent; {@code headers} is set for a decoded HEADERS block. */
  record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
    long errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
    }

    int lastStreamId() {
      return ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
    }

    Http2Error error() {
      return Http2Error.valueOf(errorCode());
    }

    String debugData() {
      return type == GOAWAY ? new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8) : "";
    }

    @Override
    public String toString() {
      String name = switch (type) {
        case DATA -> "DATA"; case HEADERS -> "HEADERS"; case RST_STREAM -> "RST_STREAM"; case SETTINGS -> "SETTINGS";
        case PING -> "PING"; case GOAWAY -> "GOAWAY"; case WINDOW_UPDATE -> "WINDOW_UPDATE"; default -> "type " + type;
      };
      String more = type == RST_STREAM || type == GOAWAY ? " " + error() + " " + debugData() : headers != null ? " " + headers : "";
      return name + " stream " + stream + " flags " + flags + more;
    }
  }

  /** What the reader saw when the connection ended. */
  static final Frame CLOSED = new Frame(-1, 0, 0, new byte[0], null);

  private final SSLSocket socket;
  private final OutputStream out;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
  private final Thread reader;
  /** The edge's SETTINGS is acked only after the preface: before it, an ack would corrupt the preface. */
  private volatile boolean prefaceSent;
  volatile boolean closed;

  /** Connects and sends the preface and an empty SETTINGS frame; acks the edge's SETTINGS as they come. */
  RawH2(int port, SSLContext tls, String sni) throws IOException {
    this(port, tls, sni, true);
  }

  RawH2(int port, SSLContext tls, String sni, boolean preface) throws IOException {
    this(port, tls, sni, preface, 0);
  }

  /**
   * @param receiveBuffer the socket's receive buffer in bytes (0: the system's); with a small one
   *     and {@link #pauseReading()}, the edge soon has nowhere to put what it writes
   */
  RawH2(int port, SSLContext tls, String sni, boolean preface, int receiveBuffer) throws IOException {
    Socket plain = new Socket();
    if (receiveBuffer > 0) plain.setReceiveBufferSize(receiveBuffer);
    plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    SSLParameters p = socket.getSSLParameters();
    p.setServerNames(List.of(new SNIHostName(sni)));
    p.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(p);
    socket.startHandshake();
    if (!"h2".equals(socket.getApplicationProtocol())) throw new IOException("ALPN chose " + socket.getApplicationProtocol());
    out = socket.getOutputStream();
    reader = new Thread(this::read, "raw-h2-reader");
    reader.setDaemon(true);
    reader.start();
    if (preface) {
      raw(PREFACE);
      frame(SETTINGS, 0, 0, new byte[0]);
      // the edge's SETTINGS is acked by the reader: wait for that, so the ack can never fall
      // between the frames of a header block a test writes next (a PROTOCOL_ERROR)
      try {
        if (!settingsAcked.await(10, TimeUnit.SECONDS)) throw new IOException("the edge sent no SETTINGS");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  private final java.util.concurrent.CountDownLatch settingsAcked = new java.util.concurrent.CountDownLatch(1);

  // ---- writing -----------------------------------------------------------------------------

  synchronized RawH2 raw(byte[] bytes) throws IOException {
    if (!prefaceSent && bytes.length >= PREFACE.length && java.util.Arrays.equals(bytes, 0, PREFACE.length, PREFACE, 0, PREFACE.length)) {
      prefaceSent = true;
    }
    out.write(bytes);
    out.flush();
    return this;
  }

  RawH2 frame(int type, int flags, int stream, byte[] payload) throws IOException {
    return raw(frameBytes(type, flags, stream, payload));
  }

  static byte[] frameBytes(int type, int flags, int stream, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    f[0] = (byte) (payload.length >>> 16);
    f[1] = (byte) (payload.length >>> 8);
    f[2] = (byte) payload.length;
    f[3] = (byte) type;
    f[4] = (byte) flags;
    f[5] = (byte) ((stream >>> 24) & 0x7f);
    f[6] = (byte) (stream >>> 16);
    f[7] = (byte) (stream >>> 8);
    f[8] = (byte) stream;
    System.arraycopy(payload, 0, f, 9, payload.length);
    return f;
  }

  /** A HEADERS frame with END_HEADERS, its block the given name/value pairs in order. */
  RawH2 headers(int stream, boolean endStream, String... nameValues) throws IOException {
    return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block(nameValues));
  }

  /** A well-formed GET (or any method) for {@code path} on {@code authority}, with extra header pairs. */
  RawH2 request(int stream, boolean endStream, String method, String authority, String path, String... extra) throws IOException {
    String[] all = new String[8 + extra.length];
    String[] pseudo = {":method", method, ":scheme", "https", ":authority", authority, ":path", path};
    System.arraycopy(pseudo, 0, all, 0, 8);
    System.arraycopy(extra, 0, all, 8, extra.length);
    return headers(stream, endStream, all);
  }

  RawH2 data(int stream, boolean endStream, byte[] bytes) throws IOException {
    return frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
  }

  RawH2 windowUpdate(int stream, long increment) throws IOException {
    return frame(WINDOW_UPDATE, 0, stream, int32(increment));
  }

  RawH2 rst(int stream, Http2Error error) throws IOException {
    return frame(RST_STREAM, 0, stream, int32(error.code()));
  }

  RawH2 ping(long n) throws IOException {
    byte[] p = new byte[8];
    for (int i = 0; i < 8; i++) p[i] = (byte) (n >>> (56 - 8 * i));
    return frame(PING, 0, 0, p);
  }

  /** SETTINGS with (id, value) pairs. */
  RawH2 settings(long... idValues) throws IOException {
    byte[] p = new byte[idValues.length / 2 * 6];
    for (int i = 0; i + 1 < idValues.length; i += 2) {
      int at = i / 2 * 6;
      p[at] = (byte) (idValues[i] >>> 8);
      p[at + 1] = (byte) idValues[i];
      System.arraycopy(int32(idValues[i + 1]), 0, p, at + 2, 4);
    }
    return frame(SETTINGS, 0, 0, p);
  }

  static byte[] int32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** An HPACK block of literal header fields without indexing, new names, no Huffman. */
  static byte[] block(String... nameValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      b.write(0x00);
      string(b, nameValues[i]);
      string(b, nameValues[i + 1]);
    }
    return b.toByteArray();
  }

  private static void string(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    int n = bytes.length;
    if (n < 127) {
      b.write(n);
    } else {
      b.write(127);
      n -= 127;
      while (n >= 128) {
        b.write((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      b.write(n);
    }
    b.writeBytes(bytes);
  }

  // ---- reading -----------------------------------------------------------------------------

  private final java.util.concurrent.Semaphore reading = new java.util.concurrent.Semaphore(1);

  /** Stops reading from the socket (after the frame being read), until {@link #resumeReading()}. */
  void pauseReading() throws InterruptedException {
    reading.acquire();
  }

  void resumeReading() {
    reading.release();
  }

  private void read() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      ByteArrayOutputStream block = null;
      int blockStream = 0;
      int blockFlags = 0;
      while (true) {
        reading.acquireUninterruptibly();
        reading.release();
        byte[] h = new byte[9];
        in.readFully(h);
        int length = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        int type = h[3] & 0xff;
        int flags = h[4] & 0xff;
        int stream = ((h[5] & 0x7f) << 24) | ((h[6] & 0xff) << 16) | ((h[7] & 0xff) << 8) | (h[8] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & ACK) == 0 && prefaceSent) {
          try {
            frame(SETTINGS, ACK, 0, new byte[0]);
          } catch (IOException e) {
            // the edge is closing; the reader will see it
          }
          settingsAcked.countDown();
        }
        if (type == HEADERS || type == CONTINUATION) {
          if (type == HEADERS) {
            block = new ByteArrayOutputStream();
            blockStream = stream;
            blockFlags = flags;
            int skip = (flags & PADDED) != 0 ? 1 : 0;
            int pad = (flags & PADDED) != 0 ? payload[0] & 0xff : 0;
            if ((flags & PRIORITY_FLAG) != 0) skip += 5;
            block.write(payload, skip, payload.length - skip - pad);
          } else if (block != null) {
            block.writeBytes(payload);
          }
          if ((flags & END_HEADERS) != 0 && block != null) {
            ByteBuf buf = Unpooled.wrappedBuffer(block.toByteArray());
            Http2Headers decoded;
            try {
              decoded = hpack.decodeHeaders(blockStream, buf);
            } catch (Http2Exception e) {
              throw new IOException(e);
            } finally {
              buf.release();
            }
            frames.add(new Frame(HEADERS, blockFlags, blockStream, new byte[0], decoded));
            block = null;
          }
          continue;
        }
        frames.add(new Frame(type, flags, stream, payload, null));
      }
    } catch (EOFException | SocketException e) {
      // closed
    } catch (IOException e) {
      // closed
    } finally {
      closed = true;
      frames.add(CLOSED);
    }
  }

  /** The next frame the edge sent that matches, waiting at most {@code timeout}; fails when none comes. */
  Frame await(Duration timeout, String what, Predicate<Frame> match) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder seen = new StringBuilder();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms; saw: " + seen);
      if (match.test(f)) return f;
      if (f == CLOSED) {
        frames.add(CLOSED);
        throw new AssertionError("connection closed before " + what + "; saw: " + seen);
      }
      seen.append(f).append("; ");
    }
  }

  /** The RST_STREAM for {@code stream}, or a GOAWAY (the connection error a test may not expect). */
  Frame awaitReset(int stream) throws InterruptedException {
    return await(Duration.ofSeconds(5), "RST_STREAM on stream " + stream, f -> f.type == RST_STREAM && f.stream == stream || f.type == GOAWAY);
  }

  Frame awaitGoAway() throws InterruptedException {
    return await(Duration.ofSeconds(5), "GOAWAY", f -> f.type == GOAWAY);
  }

  /** The response head on {@code stream}. */
  Frame awaitHeaders(int stream) throws InterruptedException {
    return await(Duration.ofSeconds(10), "response HEADERS on stream " + stream, f -> f.type == HEADERS && f.stream == stream
        || f.type == GOAWAY || f.type == RST_STREAM && f.stream == stream);
  }

  /** Waits until the edge has closed the connection (after anything it sent first). */
  void awaitClosed(Duration timeout) throws InterruptedException {
    await(timeout, "the connection to close", f -> f == CLOSED);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
