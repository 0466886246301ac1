package io.edgeray.config.load;

import io.edgeray.config.ConfigException;
import io.edgeray.config.FleetSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code fleet: {etcd, prefix, node, location, redis, admin_url, lease, redis_timeout}}. */
final class FleetConfigReader {
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._-]+)+");
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");

  private FleetConfigReader() {}

  static FleetSettings fleet(ConfigSection root, String node) throws ConfigException {
    var v = root.optional("fleet");
    if (v.isEmpty()) return null;
    ConfigSection s = v.get().section();
    ConfigValue etcdValue = s.required("etcd");
    List<URI> etcd = new ArrayList<>();
    for (ConfigValue e : etcdValue.isScalar() ? List.of(etcdValue) : etcdValue.list()) {
      etcd.add(endpoint(e, "http", 2379));
    }
    if (etcd.isEmpty()) throw etcdValue.error("needs at least one etcd endpoint, such as http://127.0.0.1:2379");
    String prefix = "/edgeray";
    if (s.optional("prefix").isPresent()) {
      ConfigValue p = s.optional("prefix").get();
      prefix = p.nonEmptyString();
      if (!PREFIX.matcher(prefix).matches()) {
        throw p.error("\"" + prefix + "\" must start with / and hold only letters, digits, . _ - and / (for example /edgeray)");
      }
    }
    String name = node;
    if (s.optional("node").isPresent()) {
      ConfigValue n = s.optional("node").get();
      name = n.nonEmptyString();
      if (!NODE_NAME.matcher(name).matches()) throw n.error("\"" + name + "\" must be 1 to 32 letters, digits or dashes");
    }
    String location = s.optional("location").isPresent() ? s.optional("location").get().nonEmptyString() : name;
    URI redis = s.optional("redis").isPresent() ? endpoint(s.optional("redis").get(), "redis", 6379) : null;
    String adminUrl = null; // the admin listener as bound, unless set here (behind a NAT, a proxy)
    if (s.optional("admin_url").isPresent()) adminUrl = endpoint(s.optional("admin_url").get(), "http", 80).toString();
    Duration lease = Duration.ofSeconds(10);
    if (s.optional("lease").isPresent()) {
      lease = s.optional("lease").get().duration();
      if (lease.toSeconds() < 2) throw s.optional("lease").get().error("must be at least 2s (etcd leases count whole seconds)");
    }
    Duration redisTimeout = Duration.ofMillis(250); // only how soon a silent Redis counts as down: nobody waits for it
    if (s.optional("redis_timeout").isPresent()) {
      redisTimeout = s.optional("redis_timeout").get().duration();
      if (redisTimeout.isZero() || redisTimeout.compareTo(Duration.ofSeconds(5)) > 0) {
        throw s.optional("redis_timeout").get().error("must be between 1ms and 5s (visitors wait at most this long)");
      }
    }
    s.finish();
    return new FleetSettings(List.copyOf(etcd), prefix, name, location, redis, adminUrl, lease, redisTimeout);
  }

  private static URI endpoint(ConfigValue v, String scheme, int defaultPort) throws ConfigException {
    String text = v.nonEmptyString();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw v.error("\"" + text + "\" is not a URL such as " + scheme + "://127.0.0.1:" + defaultPort);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw v.error("\"" + text + "\" is not a URL such as " + scheme + "://127.0.0.1:" + defaultPort);
    }
    boolean ok = scheme.equals("redis") ? uri.getScheme().equals("redis") : uri.getScheme().equals("http");
    if (!ok) throw v.error("\"" + text + "\": the scheme must be " + scheme + "://");
    if (uri.getPort() < 0) {
      try {
        uri = new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), defaultPort, uri.getPath(), uri.getQuery(), null);
      } catch (URISyntaxException e) {
        throw v.error(e.getMessage());
      }
    }
    return uri;
  }
}
