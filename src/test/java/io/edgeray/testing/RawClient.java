package io.edgeray.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The tests' one HTTP/1.1 client: a raw socket (plain TCP, or TLS with the SNI name of the test's
 * choosing) that writes exactly the bytes it is given and reads responses without an HTTP library
 * that would tidy up how they, or the connection, ended. Several requests may share a connection.
 *
 * <pre>{@code
 * RawClient.Response r = RawClient.get(edge.httpAddress(), "shop.example", "/", "Accept: application/json");
 * try (RawClient c = RawClient.connect(edge.httpAddress())) {   // keep-alive
 *   c.send("GET /a HTTP/1.1\r\nHost: shop.example\r\n\r\n");
 *   RawClient.Response first = c.readResponse();
 * }
 * }</pre>
 */
public final class RawClient implements AutoCloseable {
  /** How long a read waits before the test fails, instead of hanging. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /**
   * One response as read off the wire.
   *
   * @param head the status line and header lines, without the blank line that ends them
   * @param headerList every header in arrival order, names as sent, duplicates kept
   * @param bodyBytes the body, de-chunked when it was chunked
   */
  public record Response(int status, String head, List<Map.Entry<String, String>> headerList, byte[] bodyBytes) {
    public Response {
      headerList = List.copyOf(headerList);
    }

    /** Every value of a header (case-insensitive name), joined by ", " as RFC 9110 allows; null when absent. */
    public String header(String name) {
      List<String> values = headers(name);
      return values.isEmpty() ? null : String.join(", ", values);
    }

    /** Every value of a header (case-insensitive name), in arrival order. */
    public List<String> headers(String name) {
      return headerList.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** The header names, lowercased, in arrival order. */
    public List<String> headerNames() {
      return headerList.stream().map(h -> h.getKey().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    /** The body as UTF-8 text. */
    public String body() {
      return new String(bodyBytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return head + "\n\n" + body();
    }
  }

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  private RawClient(InputStream in) {
    this.socket = null;
    this.in = in;
    this.out = OutputStream.nullOutputStream();
  }

  /** Parses a whole response that some other client received (curl's {@code -i} output, say). */
  public static Response parse(String text) throws IOException {
    return new RawClient(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))).readResponse();
  }

  /** A plain TCP connection. TCP_NODELAY is on, so each {@link #send} leaves as its own segment. */
  public static RawClient connect(InetSocketAddress address) throws IOException {
    return new RawClient(plain(address));
  }

  /** A plain TCP connection from {@code local}: another loopback address (127.0.0.2) is another visitor. */
  public static RawClient connectFrom(java.net.InetAddress local, InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.bind(new InetSocketAddress(local, 0));
    s.connect(address, 5000);
    return new RawClient(s);
  }

  /**
   * A TLS connection with its handshake done, sending {@code sni} as the server name (none when
   * null) and, when there is one, checking the certificate against it; ALPN offers http/1.1.
   */
  public static RawClient connectTls(InetSocketAddress address, SSLContext tls, String sni) throws IOException {
    return new RawClient(tlsSocket(address, tls, sni));
  }

  /** {@link #connect} when {@code tls} is null, else {@link #connectTls}. */
  public static RawClient connect(InetSocketAddress address, SSLContext tls, String sni) throws IOException {
    return tls == null ? connect(address) : connectTls(address, tls, sni);
  }

  /** A TLS socket with its handshake done, for tests that look at the session (the certificate shown). */
  public static SSLSocket tlsSocket(InetSocketAddress address, SSLContext tls, String sni) throws IOException {
    Socket plain = plain(address);
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, address.getHostString(), address.getPort(), true);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    if (sni != null) p.setEndpointIdentificationAlgorithm("HTTPS");
    p.setApplicationProtocols(new String[] {"http/1.1"});
    s.setSSLParameters(p);
    s.setSoTimeout((int) READ_TIMEOUT.toMillis());
    try {
      s.startHandshake();
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private static Socket plain(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(address, 5000);
    s.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return s;
  }

  /**
   * Sends {@code GET path} with {@code Host} and {@code Connection: close} on a new connection and
   * reads the answer. Each extra header is a whole line, {@code "Name: value"}.
   */
  public static Response get(InetSocketAddress address, String host, String path, String... headerLines) throws IOException {
    return exchange(address, null, host, request("GET", host, path, headerLines));
  }

  /** {@link #get} over TLS, with {@code host} as the SNI name. */
  public static Response getTls(InetSocketAddress address, SSLContext tls, String host, String path, String... headerLines)
      throws IOException {
    return exchange(address, tls, host, request("GET", host, path, headerLines));
  }

  /** Sends raw request bytes on a new connection and reads one response (the request should say Connection: close). */
  public static Response exchange(InetSocketAddress address, String rawRequest) throws IOException {
    return exchange(address, null, null, rawRequest);
  }

  private static Response exchange(InetSocketAddress address, SSLContext tls, String sni, String rawRequest) throws IOException {
    try (RawClient c = connect(address, tls, sni)) {
      return c.send(rawRequest).readResponse();
    }
  }

  /** A request head with Host and Connection: close; each extra header is a whole line. */
  public static String request(String method, String host, String path, String... headerLines) {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
    for (String h : headerLines) b.append(h).append("\r\n");
    return b.append("\r\n").toString();
  }

  public RawClient send(String ascii) throws IOException {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one response: its head, then a body that is chunked, of Content-Length, or runs to the close (none for 1xx, 204, 304). */
  public Response readResponse() throws IOException {
    return readResponse(false);
  }

  /** Reads the response to a HEAD request: a head and never a body. */
  public Response readHeadResponse() throws IOException {
    return readResponse(true);
  }

  private Response readResponse(boolean toHead) throws IOException {
    String head = readHead();
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) throw new IOException("not an HTTP response: " + head);
    int status = Integer.parseInt(statusLine[1]);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) throw new IOException("bad header line: " + lines[i]);
      headers.add(Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
    }
    Response bodiless = new Response(status, head, headers, new byte[0]);
    if (toHead || status < 200 || status == 204 || status == 304) return bodiless;
    byte[] body;
    String te = bodiless.header("transfer-encoding");
    String length = bodiless.header("content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked();
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.split(",")[0].trim()));
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, head, headers, body);
  }

  /** The response head, without its blank line; EOFException when the peer closes first. */
  public String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new EOFException("closed after " + head.size() + " head bytes: " + head.toString(StandardCharsets.ISO_8859_1));
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

  /** Everything until the peer's FIN; an RST surfaces as the SocketException it is. */
  public byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  /** True when the peer closed the connection: EOF (or a reset) within the read timeout. */
  public boolean closedByPeer() {
    try {
      return in.read() < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Changes how long a read waits before it fails. */
  public RawClient readTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    return this;
  }

  /** The connection's input, for tests that read bytes themselves (after a head, say). */
  public InputStream in() {
    return in;
  }

  public OutputStream out() {
    return out;
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    if (socket != null) socket.close();
  }
}
