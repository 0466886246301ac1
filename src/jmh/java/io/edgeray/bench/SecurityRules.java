package io.edgeray.bench;

import io.edgeray.config.Cidr;
import io.edgeray.security.Characteristic;
import io.edgeray.security.FirewallAction;
import io.edgeray.security.FirewallRule;
import io.edgeray.security.IpAccessAction;
import io.edgeray.security.IpAccessList;
import io.edgeray.security.IpAccessRule;
import io.edgeray.security.LocalRateCounterStore;
import io.edgeray.security.RateLimitAction;
import io.edgeray.security.RateLimitRule;
import io.edgeray.security.RateQuota;
import io.edgeray.security.RequestFacts;
import io.edgeray.security.RuleExpressions;
import io.edgeray.security.SecurityEventLog;
import io.edgeray.security.SecurityMetrics;
import io.edgeray.security.SecurityPolicy;
import io.edgeray.security.SecurityRuntime;
import io.edgeray.security.SecurityVerdict;
import io.edgeray.security.ZoneSecurity;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * The request filter (issue 18): {@link #twentyFirewallRules} evaluates 20 compiled firewall rules
 * of the kinds owners write, none of which matches, against a browser's request (goal: 5 µs);
 * {@link #twentyRulesAndOneRateLimit} adds one rate limit that never fires, as the keep-alive
 * bench does; {@link #ipLookupIn10000Blocks} is one IP-access lookup among 10,000 blocks (goal:
 * 200 ns); {@link #noRules} is the floor, a zone with nothing configured.
 *
 * <pre>java -jar target/benchmarks.jar SecurityRules -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SecurityRules {
  static final String[] EXPRESSIONS = {
    "ip.src in cidr(\"192.0.2.0/24\")",
    "ip.src in cidr(\"2001:db8::/32\") && http.request.uri.path.startsWith(\"/admin\")",
    "http.request.uri.path.startsWith(\"/wp-admin\") || http.request.uri.path.startsWith(\"/wp-login.php\")",
    "http.request.uri.path.endsWith(\".php\")",
    "http.user_agent.contains(\"sqlmap\") || http.user_agent.contains(\"nikto\")",
    "http.user_agent == \"\"",
    "http.request.method == \"TRACE\" || http.request.method == \"TRACK\"",
    "http.request.uri.query.contains(\"union select\")",
    "http.request.uri.query.contains(\"<script\")",
    "http.host == \"internal.shop.example\"",
    "!ssl && http.request.uri.path.startsWith(\"/account\")",
    "http.request.version == \"HTTP/1.0\"",
    "\"x-debug\" in http.request.headers",
    "http.request.headers[\"accept-language\"].exists(l, l.startsWith(\"xx\"))",
    "http.cookie.contains(\"admin=1\")",
    "http.referer.contains(\"spam.example\")",
    "http.request.full_uri.contains(\"/../\")",
    "http.request.uri.path.matches(\"^/api/v[0-9]+/internal\")",
    "http.request.method == \"POST\" && http.request.uri.path == \"/login\" && !(ip.src in cidr(\"198.51.100.0/24\"))",
    "http.request.uri.path == \"/.env\" || http.request.uri.path == \"/.git/config\"",
  };

  private SecurityPolicy rules;
  private SecurityPolicy rulesAndLimit;
  private SecurityPolicy empty;
  private RequestFacts request;
  private IpAccessList blocks;
  private InetAddress visitor;

  @Setup
  public void setup() throws Exception {
    List<FirewallRule> firewall = new ArrayList<>();
    for (int i = 0; i < EXPRESSIONS.length; i++) {
      firewall.add(new FirewallRule("r" + i, "", RuleExpressions.compile(EXPRESSIONS[i]), FirewallAction.BLOCK, true));
    }
    RateLimitRule limit = new RateLimitRule("generous", null, List.of(Characteristic.parse("ip.src")),
        new RateQuota(1_000_000_000, Duration.ofSeconds(60), Duration.ofSeconds(60)), RateLimitAction.BLOCK);
    Clock clock = Clock.systemUTC();
    SecurityRuntime runtime = new SecurityRuntime(clock, new LocalRateCounterStore(clock), new SecurityEventLog(),
        new SecurityMetrics(new PrometheusRegistry()));
    rules = SecurityPolicy.of("shop.example", new ZoneSecurity(IpAccessList.EMPTY, firewall, List.of()),
        IpAccessList.EMPTY, Set.of(), runtime);
    rulesAndLimit = SecurityPolicy.of("shop.example", new ZoneSecurity(IpAccessList.EMPTY, firewall, List.of(limit)),
        IpAccessList.EMPTY, Set.of(), runtime);
    empty = SecurityPolicy.of("shop.example", ZoneSecurity.NONE, IpAccessList.EMPTY, Set.of(), runtime);
    request = browserRequest();

    List<IpAccessRule> list = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      // /24s spread over the address space, as a real abuse list is
      int a = 11 + (i * 7919) % 200;
      int b = (i * 104_729) % 256;
      int c = i % 256;
      String block = a + "." + b + "." + c + ".0/24";
      Cidr cidr = Cidr.parse(block);
      list.add(new IpAccessRule(cidr, IpAccessAction.BLOCK, ""));
    }
    blocks = IpAccessList.of(dedupe(list));
    byte[] inside = list.get(5_000).cidr().address().getAddress();
    inside[3] = 7;
    visitor = InetAddress.getByAddress(inside); // in the 5,000th block: the walk goes 24 bits deep
  }

  private static List<IpAccessRule> dedupe(List<IpAccessRule> rules) {
    Map<Cidr, IpAccessRule> unique = new LinkedHashMap<>();
    for (IpAccessRule r : rules) unique.putIfAbsent(r.cidr(), r);
    return new ArrayList<>(unique.values());
  }

  static RequestFacts browserRequest() {
    HttpHeaders h = Fixtures.browserRequest();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    h.forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue()));
    return new RequestFacts(NetUtil.createInetAddressFromIpAddressString("198.51.100.23"), "shop.example", "GET",
        "/catalog/shoes/42", "size=43&color=red", "https://shop.example/catalog/shoes/42?size=43&color=red", headers,
        h.get("Cookie"), h.get("User-Agent"), h.get("Referer"), "HTTP/1.1", true, "shop.example", "8f3a1c0d2b4e6a71-AMS");
  }

  @Benchmark
  public SecurityVerdict noRules() {
    return empty.evaluate(request);
  }

  @Benchmark
  public SecurityVerdict twentyFirewallRules() {
    return rules.evaluate(request);
  }

  @Benchmark
  public SecurityVerdict twentyRulesAndOneRateLimit() {
    return rulesAndLimit.evaluate(request);
  }

  @Benchmark
  public IpAccessRule ipLookupIn10000Blocks() {
    return blocks.match(visitor);
  }
}
