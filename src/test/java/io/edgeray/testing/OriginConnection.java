package io.edgeray.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSocket;

/** One accepted connection of a {@link FaultyOrigin}: reads requests and acts out the current fault. */
final class OriginConnection {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIN_DRAIN_MILLIS = 10_000;

  private final FaultyOrigin origin;
  private final Socket socket;
  private final int id;
  private InputStream in;
  private int served; // requests answered on this connection
  private OutputStream out;

  OriginConnection(FaultyOrigin origin, Socket socket, int id) {
    this.origin = origin;
    this.socket = socket;
    this.id = id;
  }

  /** A Keep-Alive header line to send with keep-alive answers, or null. */
  private String keepAliveHeader;

  void run() {
    try {
      socket.setTcpNoDelay(true);
      Fault atAccept = origin.fault();
      if (atAccept == Fault.CLOSE_ON_ACCEPT) {
        closeWithFin();
        return;
      }
      if (atAccept == Fault.RESET_ON_ACCEPT) {
        reset();
        return;
      }
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      if (atAccept == Fault.PLAIN_ON_TLS_PORT) {
        in.read(new byte[4096]); // whatever the peer sent first: a ClientHello, say
        writeExactly(FaultBytes.plainAnswer());
        closeWithFin();
        return;
      }
      boolean more = true;
      while (more) {
        RequestHead head;
        try {
          head = HttpWire.readHead(in);
        } catch (HttpWire.HeadTooLargeException e) {
          answer("HTTP/1.1", 431, false, "text/plain", "request head too large\n".getBytes(StandardCharsets.US_ASCII), false);
          closeWithFin();
          return;
        }
        if (head == null) return; // the peer closed an idle keep-alive connection
        more = act(head, origin.fault());
        served++;
      }
    } catch (IOException e) {
      // the peer went away or close() closed the socket: nothing to report
    } catch (NumberFormatException e) {
      // a request with a malformed length: the connection just ends, as a strict origin's would
    }
  }

  /** Acts out one fault on one request; returns whether the connection carries on. */
  private boolean act(RequestHead head, Fault fault) throws IOException {
    switch (fault) {
      case CLOSE_ON_ACCEPT, CLOSE_AFTER_REQUEST -> {
        record(head, -1);
        closeWithFin();
        return false;
      }
      case RESET_ON_ACCEPT -> {
        record(head, -1);
        reset();
        return false;
      }
      case NEVER_ANSWER -> {
        readBody(head);
        socket.setSoTimeout(0);
        HttpWire.drainUntilEof(in); // hold the socket open, silent, until the peer gives up
        return false;
      }
      case GARBAGE_HEAD -> {
        readBody(head);
        writeExactly(FaultBytes.garbageHead());
        closeWithFin();
        return false;
      }
      case OVERSIZED_HEAD -> {
        readBody(head);
        writeExactly(FaultBytes.oversizedHead());
        closeWithFin();
        return false;
      }
      case RESET_MID_BODY -> {
        readBody(head);
        writeExactly(FaultBytes.resetMidBodyPrefix());
        reset();
        return false;
      }
      case PLAIN_ON_TLS_PORT -> {
        readBody(head);
        writeExactly(FaultBytes.plainAnswer());
        closeWithFin();
        return false;
      }
      case KEEP_ALIVE_RACE -> {
        if (served > 0) {
          record(head, -1);
          closeWithFin();
          return false;
        }
        readBody(head);
        return answer(head, 200, "text/plain", ("answered on connection " + id).getBytes(StandardCharsets.US_ASCII));
      }
      case SLOW_BODY, SLOW_BODY_CUT -> {
        readBody(head);
        writeHead(head.version(), 200, head.keepAlive(), "application/octet-stream", FaultBytes.SLOW_BODY_BYTES);
        out.flush();
        byte[] body = new byte[fault == Fault.SLOW_BODY ? FaultBytes.SLOW_BODY_BYTES : FaultBytes.SLOW_BODY_CUT_AFTER];
        BytePattern.fill(body, 0);
        for (byte b : body) {
          if (!origin.pauseUnlessClosed(origin.slowDelay())) return false;
          out.write(b);
          out.flush();
        }
        if (fault == Fault.SLOW_BODY_CUT) {
          closeWithFin();
          return false;
        }
        return finish(head.keepAlive());
      }
      case STATUS -> {
        readBody(head);
        return answerStatus(head, origin.statusCode());
      }
      case SLOW_HEAD -> {
        long body = readBody(head);
        if (!origin.pauseUnlessClosed(origin.slowDelay())) return false;
        return answerOk(head, body);
      }
      case OVERLONG_BODY -> {
        readBody(head);
        writeExactly(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n"
            + FaultBytes.OVERLONG_BODY).getBytes(StandardCharsets.US_ASCII));
        return true;
      }
      case EARLY_HINTS -> {
        long body = readBody(head);
        writeExactly(("HTTP/1.1 103 Early Hints\r\nLink: " + FaultBytes.EARLY_HINT_LINK + "\r\n"
            + "Connection: " + FaultBytes.EARLY_HINT_HOP + "\r\n" + FaultBytes.EARLY_HINT_HOP + ": 1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        return answerOk(head, body);
      }
      case SHORT_KEEP_ALIVE -> {
        keepAliveHeader = "Keep-Alive: timeout=1\r\n";
        return answerOk(head, readBody(head));
      }
      case REFUSE -> throw new IllegalStateException("a refusing origin accepts no connection");
      case OK, EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, SELF_SIGNED_CERTIFICATE, WRONG_HOST_CERTIFICATE -> {
        if (head.expectsContinue()) writeExactly("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return answerOk(head, readBody(head));
      }
    }
    throw new IllegalStateException("unhandled fault " + fault);
  }

  private long readBody(RequestHead head) throws IOException {
    long n = HttpWire.discardBody(in, head);
    record(head, n);
    return n;
  }

  private void record(RequestHead head, long bodyBytes) {
    origin.record(new ReceivedRequest(id, head.method(), head.uri(), head.headers(), bodyBytes,
        (InetSocketAddress) socket.getRemoteSocketAddress()));
  }

  private boolean answerOk(RequestHead head, long bodyBytes) throws IOException {
    String path = head.path();
    if (path.startsWith("/bytes/")) return streamBytes(head, path.substring("/bytes/".length()));
    if (path.equals("/sink")) return answer(head, 200, "application/json", json(Map.of("received", bodyBytes)));
    if (origin.summaryName() != null) return answer(head, 200, "text/plain", summary(head, bodyBytes).getBytes(StandardCharsets.UTF_8));
    return answer(head, 200, "application/json", json(echo(head, bodyBytes)));
  }

  private String summary(RequestHead head, long bodyBytes) {
    return "origin=" + origin.summaryName() + " scheme=" + (origin.tls() ? "https" : "http")
        + " xfp=" + head.first("X-Forwarded-Proto").orElse(null) + " sni=" + sni()
        + " host=" + head.first("Host").orElse(null) + " bytes=" + bodyBytes
        + " ext=" + head.headers().stream().map(ReceivedRequest.Header::name)
            .filter(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("x-http2")).toList();
  }

  /** The SNI name the TLS client sent, "-" when none (or plain TCP). */
  private String sni() {
    if (socket instanceof SSLSocket s && s.getSession() instanceof ExtendedSSLSession e) {
      for (SNIServerName n : e.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) return h.getAsciiName();
      }
    }
    return "-";
  }

  private Map<String, Object> echo(RequestHead head, long bodyBytes) {
    Map<String, Object> echo = new LinkedHashMap<>();
    echo.put("scheme", origin.tls() ? "https" : "http");
    echo.put("sni", sni());
    echo.put("method", head.method());
    echo.put("path", head.uri());
    echo.put("connection", id);
    echo.put("bodyBytes", bodyBytes);
    echo.put("headers", head.headers().stream().map(h -> List.of(h.name(), h.value())).toList());
    return echo;
  }

  private boolean streamBytes(RequestHead head, String count) throws IOException {
    long n;
    try {
      n = Long.parseLong(count);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0) return answer(head, 400, "text/plain", ("not a byte count: " + count + "\n").getBytes(StandardCharsets.UTF_8));
    boolean keepAlive = head.keepAlive();
    writeHead(head.version(), 200, keepAlive, "application/octet-stream", n);
    if (!head.method().equals("HEAD")) {
      byte[] block = BytePattern.repeatingBlock(); // period-aligned, so back-to-back blocks continue the pattern
      for (long left = n; left > 0; left -= block.length) out.write(block, 0, (int) Math.min(block.length, left));
    }
    return finish(keepAlive);
  }

  private boolean answerStatus(RequestHead head, int code) throws IOException {
    byte[] body = ("origin answered " + code + "\n").getBytes(StandardCharsets.US_ASCII);
    boolean bodiless = code < 200 || code == 204 || code == 304;
    return answer(head.version(), code, head.keepAlive(), "text/plain", bodiless ? null : body,
        head.method().equals("HEAD"));
  }

  private boolean answer(RequestHead head, int code, String type, byte[] body) throws IOException {
    return answer(head.version(), code, head.keepAlive(), type, body, head.method().equals("HEAD"));
  }

  /** Writes a complete response; a null body means a status that has none (no Content-Length either). */
  private boolean answer(String version, int code, boolean keepAlive, String type, byte[] body, boolean headOnly)
      throws IOException {
    writeHead(version, code, keepAlive, body == null ? null : type, body == null ? -1 : body.length);
    if (body != null && !headOnly) out.write(body);
    return finish(keepAlive);
  }

  private void writeHead(String requestVersion, int code, boolean keepAlive, String type, long length) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(code).append(' ')
        .append(HttpResponseStatus.valueOf(code).reasonPhrase()).append("\r\n");
    if (type != null) head.append("Content-Type: ").append(type).append("\r\n");
    if (length >= 0) head.append("Content-Length: ").append(length).append("\r\n");
    if (!keepAlive) head.append("Connection: close\r\n");
    if (keepAlive && keepAliveHeader != null) head.append(keepAliveHeader);
    else if (requestVersion.equals("HTTP/1.0")) head.append("Connection: keep-alive\r\n");
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private boolean finish(boolean keepAlive) throws IOException {
    out.flush();
    if (!keepAlive) closeWithFin();
    return keepAlive;
  }

  private void writeExactly(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends FIN, then reads until the peer closes. Closing with unread bytes in the receive buffer
   * would make the kernel send RST instead of FIN, and the fault promised a FIN.
   */
  private void closeWithFin() throws IOException {
    if (out != null) out.flush();
    if (socket instanceof SSLSocket) {
      socket.close(); // TLS has no half-close: close_notify, then FIN
      return;
    }
    socket.shutdownOutput();
    socket.setSoTimeout(FIN_DRAIN_MILLIS);
    try {
      HttpWire.drainUntilEof(in != null ? in : socket.getInputStream());
    } catch (IOException e) {
      // the peer reset or stayed silent: either way we are done
    }
    socket.close();
  }

  /** SO_LINGER 0 then close: the kernel drops the send queue and sends RST. */
  private void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
