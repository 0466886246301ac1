package io.edgeray.observe;

import io.edgeray.observe.Attempt;
import io.edgeray.failure.EdgeError;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything known about a finished ray, frozen: what observers (access log, metrics) receive.
 *
 * @param originStatus the status the origin sent, or 0 when none
 * @param error the edge error answered instead of a proxied response, or null
 * @param abort why the connection was cut after the response had started, or null
 * @param doctor the request came from the edge's own doctor (its {@link DoctorMark} header): logged, never counted
 *     as a visitor's failure
 * @param fields what phases added to the log line ({@code security}, {@code cache}), in the order they added it
 */
public record RaySummary(
    Instant time,
    String ray,
    String node,
    String clientIp,
    String method,
    String host,
    String path,
    String zone,
    int status,
    int originStatus,
    EdgeError error,
    String detail,
    String abort,
    String originAddr,
    List<Attempt> attempts,
    long bytesIn,
    long bytesOut,
    double totalMillis,
    double connectMillis,
    double ttfbMillis,
    String userAgent,
    boolean doctor,
    Map<String, Object> fields) {}
