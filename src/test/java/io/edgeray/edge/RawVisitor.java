package io.edgeray.edge;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One visitor connection over a raw socket, for tests that need more than one exchange on it
 * (keep-alive, pipelining, 100-continue) or that write bytes the way no HTTP client would.
 */
final class RawVisitor implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawVisitor(InetSocketAddress edge) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true); // each send() leaves as its own segment, so heads really arrive in pieces
    socket.connect(edge, 2000);
    socket.setSoTimeout(10_000); // a stuck edge fails the test instead of hanging it
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  RawVisitor send(String ascii) throws IOException {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawVisitor send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one response: its head, then a body delimited by Content-Length or chunked (none for 1xx). */
  Edge.Response readResponse() throws IOException {
    String head = readHead();
    Edge.Response r = Edge.parse(head + "\r\n\r\n");
    if (r.status() < 200 || r.status() == 204 || r.status() == 304) return r;
    byte[] body;
    if ("chunked".equalsIgnoreCase(r.header("transfer-encoding"))) {
      body = readChunked();
    } else if (r.header("content-length") != null) {
      body = in.readNBytes(Integer.parseInt(r.header("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Edge.Response(r.status(), r.headers(), new String(body, StandardCharsets.UTF_8));
  }

  /** The response head, without its blank line. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new EOFException("closed after " + head.size() + " head bytes: " + head);
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String s = head.toString(StandardCharsets.ISO_8859_1);
    return s.substring(0, s.length() - 4);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      int size = Integer.parseInt(sizeLine.split(";")[0].trim().toLowerCase(Locale.ROOT), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) throw new EOFException("closed inside a chunked body");
      if (c != '\r') b.append((char) c);
    }
    return b.toString();
  }

  /** True when the edge closed the connection: EOF (or a reset) within the socket timeout. */
  boolean closedByEdge() {
    try {
      return in.read() < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
