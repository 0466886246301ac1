package io.edgeray.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The minimal HTTP/1.1 request parsing the fixture origin needs. Hand-written on purpose: the
 * origin must not be a second opinion on what valid HTTP is, only read what a proxy sends.
 */
final class HttpWire {
  static final int MAX_HEAD_BYTES = 1024 * 1024;
  private static final int MAX_CHUNK_LINE = 8 * 1024;

  /** The request head was larger than {@link #MAX_HEAD_BYTES}. */
  static final class HeadTooLargeException extends IOException {
    HeadTooLargeException() {
      super("request head over " + MAX_HEAD_BYTES + " bytes");
    }
  }

  private HttpWire() {}

  /** Reads one request head; null when the peer closed cleanly before sending any byte of it. */
  static RequestHead readHead(InputStream in) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    String requestLine = readLine(in, budget);
    for (int blank = 0; requestLine != null && requestLine.isEmpty() && blank < 4; blank++) {
      requestLine = readLine(in, budget); // RFC 9112 §2.2: tolerate stray CRLFs before a request
    }
    if (requestLine == null) return null;
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3) throw new IOException("bad request line: " + requestLine);
    List<ReceivedRequest.Header> headers = new ArrayList<>();
    while (true) {
      String line = readLine(in, budget);
      if (line == null) throw new EOFException("closed inside the request head");
      if (line.isEmpty()) break;
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
        ReceivedRequest.Header last = headers.remove(headers.size() - 1); // obsolete line folding
        headers.add(new ReceivedRequest.Header(last.name(), last.value() + " " + line.trim()));
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) throw new IOException("bad header line: " + line);
      headers.add(new ReceivedRequest.Header(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
    return new RequestHead(parts[0], parts[1], parts[2], headers);
  }

  /** Reads and discards the body the head announces; returns how many body bytes there were. */
  static long discardBody(InputStream in, RequestHead head) throws IOException {
    return head.chunked() ? discardChunked(in) : discardExactly(in, head.contentLength());
  }

  /** Reads until the peer closes or the read times out; used so a close sends FIN, not RST. */
  static void drainUntilEof(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    while (in.read(buf) >= 0) {
      // discard
    }
  }

  private static long discardChunked(InputStream in) throws IOException {
    long total = 0;
    while (true) {
      String sizeLine = readLine(in, new int[] {MAX_CHUNK_LINE});
      if (sizeLine == null) throw new EOFException("closed inside a chunked body");
      int semi = sizeLine.indexOf(';');
      long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) break;
      discardExactly(in, size);
      total += size;
      String end = readLine(in, new int[] {MAX_CHUNK_LINE});
      if (end == null || !end.isEmpty()) throw new IOException("chunk not followed by CRLF");
    }
    int[] budget = {MAX_HEAD_BYTES};
    for (String trailer = readLine(in, budget); trailer != null && !trailer.isEmpty(); trailer = readLine(in, budget)) {
      // trailers are read and ignored
    }
    return total;
  }

  private static long discardExactly(InputStream in, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) throw new EOFException("closed with " + left + " body bytes still to come");
      left -= r;
    }
    return n;
  }

  /** A line without its CRLF (or bare LF); null on EOF before its first byte. */
  private static String readLine(InputStream in, int[] budget) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.length() == 0) return null;
        throw new EOFException("closed in the middle of a line");
      }
      if (--budget[0] < 0) throw new HeadTooLargeException();
      if (b == '\n') break;
      line.append((char) b);
    }
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
    return line.toString(); // each char is one byte: ISO-8859-1, as RFC 9112 allows
  }
}
