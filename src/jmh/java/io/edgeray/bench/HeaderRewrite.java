package io.edgeray.bench;

import io.edgeray.config.HeaderStyle;
import io.edgeray.forwarding.ForwardHeaders;
import io.netty.handler.codec.http.HttpHeaders;
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
 * Header rewriting, both directions, on a browser's 17 request headers and nginx's 11 response
 * headers. The request side copies the headers first, as ProxyFlow does; {@link #copyOnly} is that
 * copy alone, so the difference is the rewrite itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderRewrite {
  private HttpHeaders request;
  private HttpHeaders response;

  @Setup
  public void setup() {
    request = Fixtures.browserRequest();
    response = Fixtures.nginxResponse();
  }

  @Benchmark
  public HttpHeaders copyOnly() {
    return request.copy();
  }

  @Benchmark
  public HttpHeaders toOrigin() {
    HttpHeaders h = request.copy();
    ForwardHeaders.toOrigin(h, "203.0.113.7", "8f3a1c0d2b4e6a71-AMS", "edgeray-AMS", "http", HeaderStyle.EDGERAY, false, "1.1");
    return h;
  }

  @Benchmark
  public HttpHeaders toOriginCloudflareStyle() {
    HttpHeaders h = request.copy();
    ForwardHeaders.toOrigin(h, "203.0.113.7", "8f3a1c0d2b4e6a71-AMS", "edgeray-AMS", "http", HeaderStyle.CLOUDFLARE, false, "1.1");
    return h;
  }

  @Benchmark
  public HttpHeaders toVisitor() {
    HttpHeaders h = response.copy(); // the codec hands over fresh headers per response; copying stands in for that
    ForwardHeaders.toVisitor(h, "8f3a1c0d2b4e6a71-AMS", "edgeray-AMS", false);
    return h;
  }

  @Benchmark
  public boolean isLoop() {
    return ForwardHeaders.isLoop(request, "edgeray-AMS");
  }
}
