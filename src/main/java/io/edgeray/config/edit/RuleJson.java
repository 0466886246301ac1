package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.cache.CacheRule;
import io.edgeray.cache.CacheSettings;
import io.edgeray.config.Durations;
import io.edgeray.security.FirewallRule;
import io.edgeray.security.IpAccessRule;
import io.edgeray.security.RateLimitRule;
import java.time.Duration;
import java.util.Locale;

/**
 * Cache settings, cache rules, firewall rules, rate limits and IP rules as the API shows them:
 * the YAML's key names and value forms, so an item read can be sent back as it is (a PUT of the
 * list read from a GET changes nothing the loader would see).
 */
final class RuleJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RuleJson() {}

  static ObjectNode firewall(FirewallRule r) {
    return F.objectNode().put("id", r.id()).put("description", r.description()).put("expression", r.expression().source())
        .put("action", r.action().word()).put("enabled", r.enabled());
  }

  static ObjectNode rateLimit(RateLimitRule r) {
    ObjectNode o = F.objectNode().put("id", r.id());
    if (r.expression() == null) o.putNull("expression"); else o.put("expression", r.expression().source());
    ArrayNode characteristics = o.putArray("characteristics");
    r.characteristics().forEach(c -> characteristics.add(c.toString()));
    o.put("requests", r.quota().requests()).put("period", Durations.format(r.quota().period()));
    o.put("action", r.action().word());
    Duration mitigation = r.quota().mitigationTimeout();
    o.put("mitigation_timeout", mitigation.isZero() ? "0" : Durations.format(mitigation));
    return o.put("enabled", r.enabled());
  }

  static ObjectNode ipRule(IpAccessRule r) {
    return F.objectNode().put("ip", r.id()).put("action", r.action().word()).put("note", r.note()).put("enabled", r.enabled());
  }

  /** A zone's {@code cache:} settings without its rules, which have their own route. */
  static ObjectNode cache(CacheSettings c) {
    ObjectNode o = F.objectNode();
    o.put("enabled", c.enabled());
    o.put("respect_origin", c.respectOrigin());
    o.put("default_ttl", ttl(c.defaultTtl()));
    o.put("edge_ttl", ttl(c.edgeTtl()));
    o.put("browser_ttl", ttl(c.browserTtl()));
    o.put("max_object_size", c.maxObjectSize());
    ObjectNode key = o.putObject("cache_key");
    key.put("query", c.cacheKey().query().name().toLowerCase(Locale.ROOT));
    c.cacheKey().headers().forEach(key.putArray("headers")::add);
    c.cacheKey().cookies().forEach(key.putArray("cookies")::add);
    o.put("stale_while_revalidate", window(c.staleWhileRevalidate()));
    o.putObject("always_online").put("window", window(c.alwaysOnline())).put("banner", c.staleBanner());
    return o;
  }

  static ObjectNode cacheRule(CacheRule r) {
    ObjectNode o = F.objectNode();
    o.put("host", r.host());
    o.put("path", r.path());
    o.put("bypass", r.bypass());
    o.put("cache_everything", r.cacheEverything());
    o.put("edge_ttl", ttl(r.edgeTtl()));
    o.put("browser_ttl", ttl(r.browserTtl()));
    return o.put("cache_set_cookie", r.cacheSetCookie());
  }

  /** A cache lifetime as the cache block writes one: in days when it is whole days ({@code 7d}); null stays null. */
  static String ttl(Duration d) {
    if (d == null) return null;
    return d.toMillis() % 86_400_000 == 0 ? d.toDays() + "d" : Durations.format(d);
  }

  /** A stale window: {@code off} when zero. */
  private static String window(Duration d) {
    return d.isZero() ? "off" : ttl(d);
  }
}
