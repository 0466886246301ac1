package io.edgeray.doctor;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.OriginFailure;
import io.edgeray.failure.Stage;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What one probe connection saw.
 *
 * @param source the local address the connection left from; for a failed connect the one asked
 *     for, or null when the kernel was to choose
 * @param failure null when every step asked for succeeded
 * @param failedAt the step that failed, or null
 * @param status the response status, or 0 when no response head arrived (or none was asked for)
 * @param headers the response headers asked for, lower-case names
 * @param chain the certificates the origin sent, leaf first; empty for plain HTTP
 */
public record ProbeResult(InetSocketAddress target, InetSocketAddress source, ClassifiedFailure failure, Stage failedAt,
    long connectMillis, int status, long ttfbMillis, Map<String, String> headers, List<X509Certificate> chain) {

  public boolean connected() {
    return failedAt != Stage.CONNECT;
  }

  public boolean ok() {
    return failure == null;
  }

  /** accepted / refused / timed out / unreachable, as the checklist words the TCP step. */
  public String connectWord() {
    if (connected()) return "accepted";
    return switch (failure.failure()) {
      case CONNECTION_REFUSED -> "refused";
      case CONNECT_TIMEOUT -> "timed out";
      default -> "unreachable";
    };
  }

  public OriginFailure failureClass() {
    return failure == null ? null : failure.failure();
  }

  public String header(String name) {
    return headers.get(name);
  }
}
