package io.edgeray.bench;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Peers;
import io.edgeray.phase.Ray;
import io.edgeray.security.SecurityPhase;
import io.edgeray.security.SecurityPolicy;
import io.edgeray.security.SecurityRuntime;
import io.edgeray.upstream.Peer;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
 * The firewall's request filter as the engine runs it (issue 18): {@link SecurityPhase} over the
 * zone of {@code bench/conf/edgeray-rules.yaml} (20 firewall rules and a rate limit that never
 * fires), facts built from the Netty request head each time, as for every ray. {@link #benchRequest}
 * is what {@code bench/measure --scenario rules} sends (h2load's GET /1k), {@link #wrkRequest} what
 * {@code bench/run}'s wrk sends (the Host header alone), {@link #browserRequest}
 * a browser's 17 headers with a query; {@link #zoneWithoutRules} is the floor (a zone of the same
 * config with nothing configured). Goal: the 20 rules and the limit in ≤ 5 µs.
 *
 * <pre>java -jar target/benchmarks.jar RuleEvaluation -prof gc   # from the repository's root</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleEvaluation {
  private SecurityPhase phase;
  private Ray bench;
  private Ray browser;
  private Ray noRules;
  private Ray wrk;

  @Setup
  public void setup() throws Exception {
    // the bench's file as bench/measure renders it, less what a benchmark cannot have (certificate files)
    String text = Files.readAllLines(Path.of("bench/conf/edgeray-rules.yaml")).stream()
        .filter(line -> !line.trim().startsWith("certificate:"))
        .map(line -> line.replace("@W@", System.getProperty("java.io.tmpdir")).replace("@PORT@", "0")
            .replace("@TLS_PORT@", "0").replace("@ADMIN_PORT@", "0").replace("@ORIGIN_PORT@", "28000")
            .replace("@DOWN_PORT@", "28009"))
        .collect(Collectors.joining("\n"));
    EdgeConfig config = ConfigLoader.parse("edgeray-rules.yaml", text);
    phase = new SecurityPhase(SecurityPolicy.build(config, SecurityRuntime.create(new PrometheusRegistry())));
    Zone zone = config.zones().stream().filter(z -> z.name().equals("bench.test")).findFirst().orElseThrow();
    Zone bare = config.zones().stream().filter(z -> z.name().equals("down.test")).findFirst().orElseThrow();

    HttpRequest h2load = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/1k");
    h2load.headers().add("Host", "bench.test:28080").add("User-Agent", "h2load nghttp2/1.52.0")
        .add("Accept", "*/*");
    bench = new BenchRay(h2load, zone);

    HttpRequest page = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/catalog/shoes/42?size=43&color=red");
    page.headers().setAll(Fixtures.browserRequest());
    page.headers().set("Host", "bench.test");
    browser = new BenchRay(page, zone);
    noRules = new BenchRay(h2load, bare);
    HttpRequest wrkHead = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/1k");
    wrkHead.headers().add("Host", "bench.test:18084");
    wrk = new BenchRay(wrkHead, zone);
    if (phase.requestFilter(bench) != Decision.PROCEED || phase.requestFilter(browser) != Decision.PROCEED) {
      throw new IllegalStateException("a bench rule fires: the benchmark would measure a refusal");
    }
  }

  @Benchmark
  public Decision benchRequest() {
    return phase.requestFilter(bench);
  }

  @Benchmark
  public Decision wrkRequest() {
    return phase.requestFilter(wrk);
  }

  @Benchmark
  public Decision browserRequest() {
    return phase.requestFilter(browser);
  }

  @Benchmark
  public Decision zoneWithoutRules() {
    return phase.requestFilter(noRules);
  }

  /** The visitor's address as the edge holds it: one InetAddress per connection, read from the socket. */
  private static final InetAddress VISITOR = NetUtil.createInetAddressFromIpAddressString("127.0.0.1");

  /** What the request filter reads of a ray: a plain-HTTP visitor on 127.0.0.1, as in the bench. */
  private record BenchRay(HttpRequest request, Zone zone) implements Ray {
    @Override public String id() { return "8f3a1c0d2b4e6a71-BNR"; }
    @Override public String clientIp() { return "127.0.0.1"; }
    @Override public InetAddress clientAddress() { return VISITOR; }
    @Override public boolean https() { return false; }
    @Override public String protocol() { return "1.1"; }
    @Override public String host() { return zone.name(); }
    @Override public String path() { return request.uri(); }
    @Override public int originPort() { return 28000; }
    @Override public boolean upgradeRequested() { return false; }
    @Override public Peers peers() { return null; }
    @Override public Peer peer() { return null; }
    @Override public <T> T state(Class<T> type) { return null; }
    @Override public <T> void state(Class<T> type, T value) { }
    @Override public void logField(String name, Object value) { }
  }
}
