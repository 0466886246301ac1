package io.edgeray.testing;

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
 * A raw-socket HTTP client for the fixtures' own tests: writes exact bytes, and reads a response
 * without an HTTP library that would hide how the connection ended.
 */
final class RawExchange implements AutoCloseable {
  final Socket socket;
  final InputStream in;
  final OutputStream out;

  record Response(String head, byte[] body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  RawExchange(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 2000);
    socket.setSoTimeout(5000); // a fixture bug fails the test instead of hanging it
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  RawExchange send(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads one response whose body has a Content-Length (or none). */
  Response readResponse() throws IOException {
    String head = readHead();
    long length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(line.substring(15).trim());
    }
    return new Response(head, in.readNBytes((int) length));
  }

  /** The response head without its final CRLFCRLF. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new EOFException("closed after " + head.size() + " head bytes");
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String s = head.toString(StandardCharsets.ISO_8859_1);
    return s.substring(0, s.length() - 4);
  }

  /** Everything until the peer's FIN; an RST surfaces as the SocketException it is. */
  byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
