package io.edgeray.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.AttributeKey;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Counts visitor TLS handshakes that failed, by a closed set of reasons, so a wrong certificate
 * setup or an old client population shows in the metrics rather than only in debug logs. The
 * edge puts the counter on each HTTPS connection as a channel attribute; the handshake code
 * calls {@link #refused} or {@link #failed}.
 */
public final class HandshakeFailures {
  /** Told the reason of every failed handshake of the connection it is set on. */
  public static final AttributeKey<Consumer<String>> COUNTER = AttributeKey.valueOf("edgeray.tls.handshake.failures");

  /** The reasons, as metric label values. */
  public static final String NO_SNI = "no_sni";
  public static final String UNKNOWN_NAME = "unknown_name";
  public static final String PROTOCOL = "protocol";
  public static final String CIPHER = "cipher";
  public static final String NOT_TLS = "not_tls";
  public static final String TIMEOUT = "timeout";
  public static final String CLOSED = "closed";
  public static final String OTHER = "other";

  private HandshakeFailures() {}

  /** Refused before the handshake: no SNI name ({@code hostname} null), or no certificate for it. */
  public static void refused(Channel ch, String hostname) {
    count(ch, hostname == null ? NO_SNI : UNKNOWN_NAME);
  }

  /** The handshake itself failed. */
  public static void failed(Channel ch, Throwable cause) {
    count(ch, reason(cause));
  }

  private static void count(Channel ch, String reason) {
    Consumer<String> counter = ch.attr(COUNTER).get();
    if (counter != null) counter.accept(reason);
  }

  /** The reason for a handshake exception, from BoringSSL's and the JDK's wording. */
  static String reason(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SslHandshakeTimeoutException) return TIMEOUT;
      if (t instanceof ClosedChannelException) return CLOSED;
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("cipher")) return CIPHER; // NO_SHARED_CIPHER, "no cipher suites in common"
      if (m.contains("protocol") || m.contains("version")) return PROTOCOL; // UNSUPPORTED_PROTOCOL, "client requested protocol ... not enabled"
      if (m.contains("not an ssl/tls record") || m.contains("wrong_version_number") || m.contains("http_request")) return NOT_TLS;
      if (m.contains("closed") || m.contains("connection reset")) return CLOSED;
    }
    return OTHER;
  }
}
