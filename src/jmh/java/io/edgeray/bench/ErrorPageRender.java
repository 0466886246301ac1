package io.edgeray.bench;

import io.edgeray.edge.ErrorPage;
import io.edgeray.failure.OriginFailure;
import io.netty.handler.codec.http.FullHttpResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering the 521 page as HTML (what a browser gets) and as JSON (Accept: application/json),
 * headers included: the whole cost of answering a refused origin apart from the write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ErrorPageRender {
  private final ErrorPage.Facts facts = new ErrorPage.Facts(OriginFailure.CONNECTION_REFUSED, "8f3a1c0d2b4e6a71-AMS",
      "AMS", "shop.example", "203.0.113.7", Instant.parse("2026-11-23T10:00:00Z"), null);

  @Benchmark
  public int html() {
    FullHttpResponse r = ErrorPage.render(facts, false, "edgeray-AMS");
    int n = r.content().readableBytes();
    r.release();
    return n;
  }

  @Benchmark
  public int json() {
    FullHttpResponse r = ErrorPage.render(facts, true, "edgeray-AMS");
    int n = r.content().readableBytes();
    r.release();
    return n;
  }
}
