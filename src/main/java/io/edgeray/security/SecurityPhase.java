package io.edgeray.security;

import io.edgeray.failure.EdgeRefusal;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The firewall as a request filter: IP access rules (1006), firewall rules (1020) and rate limits
 * (1015) of the zone and the edge. Every event it records also names itself in the ray's
 * access-log line ({@code security: {rule, action, kind}}).
 */
public final class SecurityPhase implements Phase {
  private static final AsciiString RATELIMIT_POLICY = AsciiString.cached("ratelimit-policy");
  private static final AsciiString RATELIMIT = AsciiString.cached("ratelimit");

  private final SecurityPolicy policy;

  public SecurityPhase(SecurityPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Decision requestFilter(Ray ray) {
    if (ray.fromEdge()) return Decision.PROCEED; // the edge's own cache refresh from 127.0.0.1: no visitor to judge
    String zone = ray.zone() == null ? null : ray.zone().name();
    ZonePolicy rules = policy.policy(zone);
    if (rules.isEmpty()) return Decision.PROCEED;
    InetAddress client = ray.clientAddress();
    if (client == null) return Decision.PROCEED; // not an IP peer (a test's embedded channel): nothing to match
    String version = ray.protocol().equals("2") ? "HTTP/2" : null;
    // the head as it is: a field is read from it only when a rule asks for it
    SecurityVerdict v = rules.evaluate(new HttpRequestFacts(ray.request(), client, ray.https(), version, zone, ray.id()));
    SecurityEvent logged = v.logged();
    if (logged != null) ray.logField("security", logField(logged));
    if (v instanceof SecurityVerdict.IpBlocked b) {
      return new Decision.Refuse(EdgeRefusal.IP_BLOCKED, "IP access rule " + b.rule().id() + " blocks " + ray.clientIp(),
          null, new DefaultHttpHeaders());
    }
    if (v instanceof SecurityVerdict.FirewallBlocked b) {
      return new Decision.Refuse(EdgeRefusal.FIREWALL_BLOCKED, "firewall rule " + b.ruleId() + " blocks the request",
          "Blocked by rule " + b.ruleId() + (b.description() == null || b.description().isBlank() ? "" : ": " + b.description()),
          new DefaultHttpHeaders());
    }
    if (v instanceof SecurityVerdict.RateLimited r) {
      HttpHeaders h = new DefaultHttpHeaders()
          .set(HttpHeaderNames.RETRY_AFTER, r.headers().retryAfter())
          .set(RATELIMIT_POLICY, r.headers().policy())
          .set(RATELIMIT, r.headers().rateLimit());
      return new Decision.Refuse(EdgeRefusal.RATE_LIMITED, "rate limit " + r.ruleId() + " exceeded; allowed again in "
          + r.retryAfterSeconds() + " s", "Rate limited by rule " + r.ruleId(), h);
    }
    return Decision.PROCEED;
  }

  private static Map<String, Object> logField(SecurityEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", e.rule());
    m.put("action", e.action().name().toLowerCase(java.util.Locale.ROOT));
    m.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
    if (e.selfLockout()) m.put("self_lockout", true);
    return m;
  }
}
