package io.edgeray.config.load;

import io.edgeray.config.load.ConfigValue;
import io.edgeray.config.load.ConfigSection;
import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.LoadBalancer;
import io.edgeray.config.MonitorSpec;
import io.edgeray.config.OverloadLimit;
import io.edgeray.config.PassiveHealth;
import io.edgeray.config.PoolOrigin;
import io.edgeray.config.PoolSpec;
import io.edgeray.config.Steering;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the top-level {@code pools:} list and a zone's {@code load_balancers:}, every problem with its line. */
final class PoolConfigReader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  private PoolConfigReader() {}

  static List<PoolSpec> pools(ConfigSection root) throws ConfigException {
    var v = root.optional("pools");
    if (v.isEmpty()) return List.of();
    List<PoolSpec> pools = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    for (ConfigValue p : v.get().list()) {
      PoolSpec spec = pool(p);
      Integer earlier = lines.putIfAbsent(spec.name(), p.line());
      if (earlier != null) throw p.error("pool " + spec.name() + " is already defined on line " + earlier);
      pools.add(spec);
    }
    return List.copyOf(pools);
  }

  private static PoolSpec pool(ConfigValue v) throws ConfigException {
    ConfigSection s = v.section();
    String name = name(s.required("name"));
    List<PoolOrigin> origins = new ArrayList<>();
    Map<String, Integer> originLines = new HashMap<>();
    ConfigValue originsValue = s.required("origins");
    for (ConfigValue o : originsValue.list()) {
      PoolOrigin origin = origin(o);
      Integer earlier = originLines.putIfAbsent(origin.name(), o.line());
      if (earlier != null) throw o.error("origin " + origin.name() + " is already defined on line " + earlier);
      origins.add(origin);
    }
    if (origins.isEmpty()) throw originsValue.error("a pool needs at least one origin");
    Steering steering = Steering.ROUND_ROBIN;
    var steeringValue = s.optional("steering");
    if (steeringValue.isPresent()) {
      steering = Steering.parse(steeringValue.get().nonEmptyString().toLowerCase(Locale.ROOT));
      if (steering == null) {
        throw steeringValue.get().error("\"" + steeringValue.get().string()
            + "\" is not a steering (round_robin, weighted, least_outstanding, cookie or ip_hash)");
      }
    }
    int retries = intOr(s.optional("retries"), 0, 16, 1);
    var retryIdempotentValue = s.optional("retry_idempotent");
    boolean retryIdempotent = retryIdempotentValue.isPresent() && retryIdempotentValue.get().bool();
    var thresholdValue = s.optional("health_threshold");
    int threshold = intOr(thresholdValue, 0, 10_000, 1);
    if (threshold > origins.size()) {
      throw thresholdValue.get().error(threshold + " is more than the pool's " + origins.size() + " origins: it would always be critical");
    }
    var monitorValue = s.optional("monitor");
    MonitorSpec monitor = monitorValue.isPresent() ? monitor(monitorValue.get().section()) : null;
    var passiveValue = s.optional("passive");
    PassiveHealth passive = passiveValue.isPresent() ? passive(passiveValue.get().section()) : PassiveHealth.DEFAULTS;
    OverloadLimit limit = limit(s, origins);
    var notifyValue = s.optional("notify");
    URI webhook = notifyValue.isPresent() ? webhook(notifyValue.get()) : null;
    // how many fleet nodes there are is only known at run time: the quorum counts the nodes reporting
    var quorumValue = s.optional("health_quorum");
    int quorum = intOr(quorumValue, 1, 1000, 0);
    if (quorumValue.isPresent() && monitor == null) {
      throw quorumValue.get().error("health_quorum counts the nodes whose health checks see an origin unhealthy:"
          + " the pool needs a monitor");
    }
    s.finish();
    return new PoolSpec(name, List.copyOf(origins), steering, retries, retryIdempotent, threshold, monitor, passive, limit, webhook,
        quorum);
  }

  private static PoolOrigin origin(ConfigValue v) throws ConfigException {
    ConfigSection s = v.section();
    String name = name(s.required("name"));
    ConfigValue addressValue = s.required("address");
    String text = addressValue.nonEmptyString();
    if (!RecordConfigReader.isIpLiteral(text)) {
      throw addressValue.error("\"" + text + "\" is not an IP address (a pool origin is an address, as an A or AAAA record is)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(text); // a literal: no lookup is made
    } catch (UnknownHostException e) {
      throw addressValue.error("\"" + text + "\" is not an IP address");
    }
    int port = s.required("port").port();
    int weight = intOr(s.optional("weight"), 0, 1000, 1);
    var enabledValue = s.optional("enabled");
    boolean enabled = enabledValue.isEmpty() || enabledValue.get().bool();
    int maxConnections = intOr(s.optional("max_connections"), 1, 1_000_000, -1);
    s.finish();
    return new PoolOrigin(name, address, port, weight, enabled, maxConnections);
  }

  private static MonitorSpec monitor(ConfigSection s) throws ConfigException {
    MonitorSpec.Type type = MonitorSpec.Type.HTTP;
    var typeValue = s.optional("type");
    if (typeValue.isPresent()) {
      try {
        type = MonitorSpec.Type.valueOf(typeValue.get().nonEmptyString().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw typeValue.get().error("\"" + typeValue.get().string() + "\" is not a monitor type (http, https or tcp)");
      }
    }
    var pathValue = s.optional("path");
    String path = stringOr(pathValue, "/");
    if (!path.startsWith("/")) throw pathValue.get().error("must start with /");
    var methodValue = s.optional("method");
    String method = stringOr(methodValue, "GET").toUpperCase(Locale.ROOT);
    if (!Set.of("GET", "HEAD", "OPTIONS").contains(method)) {
      throw methodValue.get().error("a health check uses GET, HEAD or OPTIONS, not " + method);
    }
    String host = stringOr(s.optional("host"), null);
    var codesValue = s.optional("expected_codes");
    List<Integer> codes = codesValue.isPresent() ? codes(codesValue.get()) : List.of(200);
    String body = stringOr(s.optional("expected_body"), null);
    Duration interval = durationOr(s.optional("interval"), MonitorSpec.DEFAULT_INTERVAL);
    Duration timeout = durationOr(s.optional("timeout"), MonitorSpec.DEFAULT_TIMEOUT);
    int retries = intOr(s.optional("retries"), 0, 10, MonitorSpec.DEFAULT_RETRIES);
    int up = intOr(s.optional("consecutive_up"), 1, 100, 1);
    int down = intOr(s.optional("consecutive_down"), 1, 100, 1);
    s.finish();
    return new MonitorSpec(type, path, method, host, codes, body, interval, timeout, retries, up, down);
  }

  /** A list of statuses, where {@code 2xx} stands for 200 to 299. */
  private static List<Integer> codes(ConfigValue v) throws ConfigException {
    List<ConfigValue> items = v.isScalar() ? List.of(v) : v.list();
    List<Integer> codes = new ArrayList<>();
    for (ConfigValue c : items) {
      String text = c.nonEmptyString().toLowerCase(Locale.ROOT);
      if (text.matches("[1-5]xx")) {
        int base = (text.charAt(0) - '0') * 100;
        for (int i = 0; i < 100; i++) codes.add(base + i);
      } else {
        codes.add(c.integer(100, 599));
      }
    }
    if (codes.isEmpty()) throw v.error("list at least one status, such as [200] or [2xx, 304]");
    return List.copyOf(codes);
  }

  private static PassiveHealth passive(ConfigSection s) throws ConfigException {
    PassiveHealth d = PassiveHealth.DEFAULTS;
    int failures = intOr(s.optional("failures"), 1, 1000, d.failures());
    Duration base = durationOr(s.optional("ejection"), d.baseEjection());
    var maxValue = s.optional("max_ejection");
    Duration max = maxValue.isPresent() ? maxValue.get().duration() : d.maxEjection().compareTo(base) < 0 ? base : d.maxEjection();
    if (max.compareTo(base) < 0) throw maxValue.get().error("is shorter than ejection (" + base.toMillis() + " ms)");
    int percent = intOr(s.optional("max_ejected_percent"), 0, 100, d.maxEjectedPercent());
    s.finish();
    return new PassiveHealth(failures, base, max, percent);
  }

  private static OverloadLimit limit(ConfigSection s, List<PoolOrigin> origins) throws ConfigException {
    int max = intOr(s.optional("max_connections"), 0, 1_000_000, 0);
    var queueValue = s.optional("queue");
    int queue = intOr(queueValue, 0, 1_000_000, 0);
    var timeoutValue = s.optional("queue_timeout");
    Duration timeout = timeoutValue.isPresent() ? timeoutValue.get().duration() : Duration.ofSeconds(5);
    if (max == 0 && queue > 0 && origins.stream().allMatch(o -> o.maxConnections() < 0)) {
      throw queueValue.get().error("a queue needs max_connections, on the pool or on an origin");
    }
    return new OverloadLimit(max, queue, timeout);
  }

  /** An http:// or https:// URL to post notifications to (a pool's and the incidents' {@code notify}). */
  static URI webhook(ConfigValue v) throws ConfigException {
    String text = v.nonEmptyString();
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw v.error("\"" + text + "\" is not an http:// or https:// URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw v.error("\"" + text + "\" is not a URL: " + e.getReason());
    }
  }

  /** A zone's load-balanced host names; every pool they name must be defined. */
  static List<LoadBalancer> loadBalancers(ConfigSection zone, String zoneName, Map<String, PoolSpec> pools)
      throws ConfigException {
    var v = zone.optional("load_balancers");
    if (v.isEmpty()) return List.of();
    List<LoadBalancer> out = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    for (ConfigValue item : v.get().list()) {
      ConfigSection s = item.section();
      ConfigValue hostValue = s.required("name");
      String host = qualify(hostValue, zoneName);
      List<String> names = new ArrayList<>();
      var one = s.optional("pool");
      var many = s.optional("pools");
      if (one.isPresent() == many.isPresent()) throw s.error("give either pool: NAME or pools: [NAME, ...]");
      for (ConfigValue p : one.isPresent() ? List.of(one.get()) : many.get().list()) names.add(existing(p, pools));
      if (names.isEmpty()) throw many.get().error("list at least one pool");
      var fallbackValue = s.optional("fallback");
      String fallback = fallbackValue.isPresent() ? existing(fallbackValue.get(), pools) : null;
      s.finish();
      Integer earlier = lines.putIfAbsent(host, item.line());
      if (earlier != null) throw item.error(host + " already has a load balancer on line " + earlier);
      out.add(new LoadBalancer(host, List.copyOf(names), fallback));
    }
    return List.copyOf(out);
  }

  private static String existing(ConfigValue v, Map<String, PoolSpec> pools) throws ConfigException {
    String name = v.nonEmptyString();
    if (!pools.containsKey(name)) {
      throw v.error("no pool named " + name + " (defined: " + (pools.isEmpty() ? "none" : String.join(", ", pools.keySet())) + ")");
    }
    return name;
  }

  private static String qualify(ConfigValue v, String zone) throws ConfigException {
    String n = v.nonEmptyString().toLowerCase(Locale.ROOT);
    if (n.equals("@")) return zone;
    if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
    if (n.equals(zone) || n.endsWith("." + zone)) return n;
    if (!NAME.matcher(n.replace('.', '-')).matches()) throw v.error("\"" + n + "\" is not a valid host name");
    return n + "." + zone;
  }

  private static String name(ConfigValue v) throws ConfigException {
    String n = v.nonEmptyString();
    if (!NAME.matcher(n).matches()) throw v.error("\"" + n + "\" must be letters, digits, - or _ (at most 63)");
    return n;
  }

  private static int intOr(Optional<ConfigValue> v, int min, int max, int dflt) throws ConfigException {
    return v.isPresent() ? v.get().integer(min, max) : dflt;
  }

  private static Duration durationOr(Optional<ConfigValue> v, Duration dflt) throws ConfigException {
    return v.isPresent() ? v.get().duration() : dflt;
  }

  private static String stringOr(Optional<ConfigValue> v, String dflt) throws ConfigException {
    return v.isPresent() ? v.get().nonEmptyString() : dflt;
  }
}
