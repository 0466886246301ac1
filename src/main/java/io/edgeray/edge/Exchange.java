package io.edgeray.edge;

import io.edgeray.origin.OriginFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ray being served: what the visitor asked, every attempt at an origin, the timings and the
 * outcome. Touched only from the visitor's event loop; frozen into a {@link RaySummary} at the end.
 */
final class Exchange {
  final Instant time = Instant.now();
  final long startNanos = System.nanoTime();
  final String ray;
  final String node;
  final String clientIp;
  final String method;
  final String path;
  final String userAgent;
  String host = "";
  String zone;
  int status;
  int originStatus;
  EdgeError error;
  String detail;
  String abort;
  String originAddr;
  final List<Attempt> attempts = new ArrayList<>(2);
  long bytesIn;
  long bytesOut;
  long connectNanos = -1;
  long ttfbNanos = -1;

  Exchange(String ray, String node, String clientIp, String method, String path, String userAgent) {
    this.ray = ray;
    this.node = node;
    this.clientIp = clientIp;
    this.method = method;
    this.path = path;
    this.userAgent = userAgent;
  }

  void attempt(String origin, String poolOrigin, OriginFailure failure, String detail, long connectNanos, boolean reused) {
    attempts.add(new Attempt(origin, poolOrigin, failure, detail, connectNanos < 0 ? -1 : connectNanos / 1_000_000, reused));
    originAddr = origin;
    if (failure == null && connectNanos >= 0) this.connectNanos = connectNanos;
  }

  RaySummary summary() {
    double total = (System.nanoTime() - startNanos) / 1e6;
    return new RaySummary(time, ray, node, clientIp, method, host, path, zone, status, originStatus, error, detail,
        abort, originAddr, List.copyOf(attempts), bytesIn, bytesOut, total,
        connectNanos < 0 ? -1 : connectNanos / 1e6, ttfbNanos < 0 ? -1 : ttfbNanos / 1e6, userAgent);
  }
}
