package io.edgeray.bench;

import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import io.edgeray.observe.AccessLogLine;
import io.edgeray.failure.OriginFailure;
import java.io.ByteArrayOutputStream;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one access-log line into a reused Writer, for a proxied 200 and for a 521 with one
 * failed attempt, with a generator per line; {@link #proxied200Encoder} as the access log's writer
 * does it, one generator for every line. (The access log runs on its own thread; this is that
 * thread's cost per ray.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessLogEncode {
  private final CharArrayWriter out = new CharArrayWriter(2048);
  private final RaySummary ok = new RaySummary(Instant.parse("2026-11-23T10:00:00.123456Z"), "8f3a1c0d2b4e6a71-AMS", "AMS",
      "203.0.113.7", "GET", "shop.example", "/catalog/shoes?page=2", "shop.example", 200, 200, null, null, null,
      "127.0.0.1:8000", List.of(new Attempt("127.0.0.1:8000", null, null, null, -1, true)), 0, 18342, 1.734, -1, 1.512,
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", false, Map.of());
  private final RaySummary refused = new RaySummary(Instant.parse("2026-11-23T10:00:00.123456Z"), "8f3a1c0d2b4e6a71-AMS", "AMS",
      "203.0.113.7", "GET", "shop.example", "/", "shop.example", 521, 0, OriginFailure.CONNECTION_REFUSED,
      "connect(..) failed: Connection refused: /127.0.0.1:8000", null, "127.0.0.1:8000",
      List.of(new Attempt("127.0.0.1:8000", null, OriginFailure.CONNECTION_REFUSED, "connect(..) failed: Connection refused", 0, false)),
      0, 2841, 0.412, 0.201, -1, "curl/7.88.1", false, Map.of());

  @Benchmark
  public int proxied200() throws IOException {
    out.reset();
    AccessLogLine.write(ok, out);
    return out.size();
  }

  @Benchmark
  public int refused521() throws IOException {
    out.reset();
    AccessLogLine.write(refused, out);
    return out.size();
  }

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
  private AccessLogLine.Encoder encoder;

  @Setup
  public void setup() throws IOException {
    encoder = new AccessLogLine.Encoder(bytes);
  }

  /** As the access log's writer thread encodes: one generator for all lines, as UTF-8 bytes. */
  @Benchmark
  public int proxied200Encoder() throws IOException {
    bytes.reset();
    encoder.write(ok);
    return bytes.size();
  }
}
