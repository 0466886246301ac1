package io.edgeray.failure;

import io.edgeray.failure.Stage;
import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.OriginFailure;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns what Netty and the JDK throw into the failure taxonomy. This is the only class that knows
 * exception types; everything downstream works with {@link OriginFailure}.
 */
public final class ErrorClassifier {
  private ErrorClassifier() {}

  public static ClassifiedFailure classify(Stage stage, Throwable error) {
    ClassifiedFailure f = classified(stage, unwrap(error));
    if (stage == Stage.RESOLVE || stage == Stage.CONNECT || stage == Stage.HANDSHAKE) return f;
    // Once connected, the request may have reached the origin: never another origin. A connection
    // that ended before any response byte is, on a stale keep-alive one, the origin having closed
    // it while idle, and the request may go again on a new connection.
    Retry retry = stage != Stage.READ_BODY && f.failure() == OriginFailure.RESPONSE_INCOMPLETE ? Retry.IF_REUSED : Retry.NEVER;
    return new ClassifiedFailure(f.failure(), f.detail(), f.ownerDetail(), retry);
  }

  /** The edge's own timer ran out at {@code stage}: no response head, no more body, or a body the origin stopped reading. */
  public static ClassifiedFailure timedOut(Stage stage) {
    return stage == Stage.WRITE
        ? new ClassifiedFailure(OriginFailure.WRITE_TIMEOUT, describe(WriteTimeoutException.INSTANCE))
        : new ClassifiedFailure(OriginFailure.RESPONSE_TIMEOUT, describe(ReadTimeoutException.INSTANCE));
  }

  /**
   * What the visitor's HTTP decoder rejected, as the refusal the edge answers with: 414 for a
   * request line over the limit, 431 for a head over it, 408 for a head that took too long, else 400.
   */
  public static Refused refusedRequest(Throwable decoderFailure) {
    Throwable c = decoderFailure;
    if (c instanceof TooLongHttpLineException) return new Refused(EdgeRefusal.URI_TOO_LONG, c.getMessage());
    if (c instanceof TooLongHttpHeaderException) return new Refused(EdgeRefusal.HEAD_TOO_LARGE, c.getMessage());
    if (c instanceof RequestHeadTimeoutException) return new Refused(EdgeRefusal.REQUEST_TIMEOUT, c.getMessage());
    return new Refused(EdgeRefusal.BAD_REQUEST, "malformed request: " + c.getMessage());
  }

  /** A visitor's request the edge refuses, with the reason for the log. */
  public record Refused(EdgeRefusal refusal, String detail) {}

  private static ClassifiedFailure classified(Stage stage, Throwable cause) {
    CertificateRejection badCertificate = findRejection(cause);
    if (badCertificate != null) {
      return new ClassifiedFailure(OriginFailure.TLS_CERTIFICATE, badCertificate.getMessage(), badCertificate.publicMessage());
    }
    if (stage == Stage.HANDSHAKE || cause instanceof SSLException && !hasCertificateCause(cause)) {
      return handshakeFailure(cause);
    }
    String detail = describe(cause);
    int errno = errno(cause);
    if (stage == Stage.CONNECT && (errno == ECONNRESET || errno == 0 && detail.toLowerCase(Locale.ROOT).contains("reset"))) {
      // A reset, not a refusal: the handshake completed and the origin dropped the connection
      // before the edge had even looked. Had the edge looked first, the request would have gone
      // out and the reset come back as 520; the same origin behaviour gets the same code.
      return new ClassifiedFailure(OriginFailure.RESPONSE_INCOMPLETE,
          "origin reset the connection as soon as it was accepted: " + detail);
    }
    return new ClassifiedFailure(failureOf(stage, cause, errno, detail.toLowerCase(Locale.ROOT)), detail);
  }

  /** The HTTP decoder rejected what the origin sent. */
  public static ClassifiedFailure malformedResponse(Throwable cause) {
    String detail = "origin sent a malformed response: " + describe(cause);
    return cause instanceof TooLongFrameException
        ? new ClassifiedFailure(OriginFailure.RESPONSE_HEAD_TOO_LARGE, "origin response head is over the limit: " + describe(cause))
        : new ClassifiedFailure(OriginFailure.RESPONSE_MALFORMED, detail);
  }

  /** The origin closed the connection, cleanly or not, before the exchange was complete. */
  public static ClassifiedFailure closedEarly(Stage stage) {
    return switch (stage) {
      case CONNECT -> new ClassifiedFailure(OriginFailure.CONNECTION_REFUSED, "connection closed while connecting");
      case READ_BODY -> new ClassifiedFailure(OriginFailure.RESPONSE_INCOMPLETE, "origin closed the connection in the middle of the response body");
      default -> new ClassifiedFailure(OriginFailure.RESPONSE_INCOMPLETE,
          "origin closed the connection before sending a complete response head", null, Retry.IF_REUSED);
    };
  }

  /** Types first, then the OS error number, and the message's words only where neither says. */
  private static OriginFailure failureOf(Stage stage, Throwable cause, int errno, String text) {
    if (cause instanceof UnknownHostException) return OriginFailure.DNS_ERROR;
    if (cause instanceof SSLException ssl) {
      return hasCertificateCause(ssl) ? OriginFailure.TLS_CERTIFICATE : OriginFailure.TLS_HANDSHAKE;
    }
    if (cause instanceof TooLongFrameException) return OriginFailure.RESPONSE_HEAD_TOO_LARGE;
    if (cause instanceof DecoderException) return OriginFailure.RESPONSE_MALFORMED;
    if (stage == Stage.CONNECT) {
      switch (errno) {
        case ETIMEDOUT: return OriginFailure.CONNECT_TIMEOUT;
        case ENETUNREACH, EHOSTUNREACH: return OriginFailure.UNREACHABLE;
        case ECONNREFUSED: return OriginFailure.CONNECTION_REFUSED;
        default: break;
      }
      if (cause instanceof ConnectTimeoutException || cause instanceof SocketTimeoutException
          || text.contains("timed out")) {
        return OriginFailure.CONNECT_TIMEOUT;
      }
      if (cause instanceof NoRouteToHostException || text.contains("unreachable") || text.contains("no route")) {
        return OriginFailure.UNREACHABLE;
      }
      if (cause instanceof ConnectException || text.contains("refused")) return OriginFailure.CONNECTION_REFUSED;
      // Any other refusal to set up a connection (address not available, permission denied by a
      // local firewall) means the packet never got anywhere: the origin is unreachable from here.
      return OriginFailure.UNREACHABLE;
    }
    if (cause instanceof ReadTimeoutException) return OriginFailure.RESPONSE_TIMEOUT;
    if (cause instanceof WriteTimeoutException || stage == Stage.WRITE && text.contains("timed out")) {
      return OriginFailure.WRITE_TIMEOUT;
    }
    return OriginFailure.RESPONSE_INCOMPLETE;
  }

  /**
   * 525: every TLS handshake failure that is not about the certificate. The reason, in our own
   * words (so it is safe for the page), comes first; the TLS library's message follows for the log.
   */
  private static ClassifiedFailure handshakeFailure(Throwable cause) {
    String text = allMessages(cause).toLowerCase(Locale.ROOT);
    String why;
    if (find(cause, NotSslRecordException.class) != null) {
      why = "the origin did not answer with TLS (plain HTTP on the HTTPS port?)";
    } else if (find(cause, SslHandshakeTimeoutException.class) != null) {
      why = "the origin did not complete the TLS handshake in time";
    } else if (text.contains("protocol_version") || text.contains("protocol version") || text.contains("unsupported_protocol")
        || text.contains("no appropriate protocol") || text.contains("not accepted by client preferences")
        || text.contains("wrong_version_number")) {
      why = "no TLS version in common with the origin (the edge speaks TLS 1.2 and 1.3)";
    } else if (text.contains("handshake_failure") || text.contains("no_shared_cipher") || text.contains("cipher suites in common")
        || text.contains("insufficient_security") || text.contains("no_cipher")) {
      why = "no cipher suite or TLS version in common with the origin";
    } else if (find(cause, ClosedChannelException.class) != null || text.contains("closed") || text.contains("reset")
        || text.contains("eof")) {
      why = "the origin closed the connection during the TLS handshake";
    } else {
      why = "the TLS handshake with the origin failed";
    }
    return new ClassifiedFailure(OriginFailure.TLS_HANDSHAKE, why + ": " + allMessages(cause), why);
  }

  private static CertificateRejection findRejection(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof CertificateRejection r) return r;
    }
    return null;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) return type.cast(c);
    }
    return null;
  }

  /** The messages of an exception, its causes and what it suppressed (where Netty hides "closed during handshake"). */
  private static String allMessages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = describe(c);
      if (b.indexOf(m) < 0) b.append(b.length() == 0 ? "" : "; ").append(m);
      for (Throwable s : c.getSuppressed()) {
        String sm = describe(s);
        if (b.indexOf(sm) < 0) b.append("; ").append(sm);
      }
    }
    return b.toString();
  }

  private static boolean hasCertificateCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CertificateException) return true;
      if (c.getCause() == c) break;
    }
    return false;
  }

  /** The cause a wrapper carries: a decoder's (but not a too-long frame, which is the cause) or a future's. */
  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof DecoderException && !(c instanceof TooLongFrameException) || c instanceof CompletionException
        || c instanceof ExecutionException) && c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    if (t instanceof ConnectTimeoutException) return "no answer to the TCP handshake (" + m + ")";
    if (t instanceof ReadTimeoutException) return "no response from the origin within the read timeout";
    if (t instanceof WriteTimeoutException) return "the origin stopped reading the request body";
    if (t instanceof UnknownHostException) return "the origin name does not resolve: " + m;
    String errno = errnoName(t);
    if (m == null || m.isBlank() || m.startsWith("null")) {
      // Netty's native transport can lose the OS's words; the errno still says what happened
      String rest = m == null ? "" : m.replaceFirst("^null:?\\s*", "");
      String what = errno != null ? errno
          : t instanceof NoRouteToHostException ? "No route to host (network or host unreachable)"
          : t instanceof ConnectException ? "Connection refused"
          : t.getClass().getSimpleName();
      return what + (rest.isEmpty() ? "" : ": " + rest);
    }
    return m;
  }

  private static final int ENETUNREACH = 101;
  private static final int EHOSTUNREACH = 113;
  private static final int ECONNREFUSED = 111;
  private static final int ECONNRESET = 104;
  private static final int ETIMEDOUT = 110;

  /** The OS error number behind a native-transport exception (Linux numbering), or 0 when unknown. */
  private static int errno(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof Errors.NativeIoException n) return Math.abs(n.expectedErr());
    }
    return 0;
  }

  /** The OS error behind a native-transport exception, in the words strerror uses. */
  private static String errnoName(Throwable t) {
    int errno = errno(t);
    return switch (errno) {
      case 0 -> null;
      case ENETUNREACH -> "Network is unreachable";
      case EHOSTUNREACH -> "No route to host";
      case ECONNREFUSED -> "Connection refused";
      case ECONNRESET -> "Connection reset by peer";
      case ETIMEDOUT -> "Connection timed out";
      case 99 -> "Cannot assign requested address";
      case 13 -> "Permission denied";
      case 1 -> "Operation not permitted";
      default -> "errno " + errno;
    };
  }
}
