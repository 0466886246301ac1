package io.edgeray.security;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * One zone's request filter, ready to run: the zone's and the edge's IP access rules, the
 * firewall rules and the rate limits, and the zone's own origin addresses for the self-lockout
 * flag. Immutable; one evaluation allocates only what the rules that fire need.
 */
final class ZonePolicy {
  /** Characteristic values longer than this are hashed in the counter key, so a key stays small. */
  private static final int LONG_VALUE = 128;

  private final String zone;
  private final ZoneSecurity security;
  private final IpAccessList edgeIpAccess;
  private final Set<InetAddress> originAddresses;
  private final SecurityRuntime runtime;
  /** Per rate limit, in order: its counters' keys, which start {@code zone \0 rule \0}. */
  private final CounterKeys[] keys;
  private final boolean empty;

  ZonePolicy(String zone, ZoneSecurity security, IpAccessList edgeIpAccess, Set<InetAddress> originAddresses,
      SecurityRuntime runtime) {
    this.zone = zone;
    this.security = security;
    this.edgeIpAccess = edgeIpAccess;
    this.originAddresses = Set.copyOf(originAddresses);
    this.runtime = runtime;
    this.keys = security.rateLimits().stream().map(r -> new CounterKeys(zone + '\0' + r.id() + '\0')).toArray(CounterKeys[]::new);
    this.empty = security.isEmpty() && edgeIpAccess.isEmpty();
  }

  /** Whether no rule at all applies here: then the request filter need not even build the facts. */
  boolean isEmpty() {
    return empty;
  }

  SecurityVerdict evaluate(RequestActivation request) {
    List<SecurityEvent> events = null; // made when a rule fires

    // 1. IP access: the zone's own rules first (the owner can allow an address the edge blocks), then the edge's.
    byte[] address = request.clientBytes();
    IpAccessRule ip = security.ipAccess().match(address);
    if (ip == null) ip = edgeIpAccess.match(address);
    if (ip != null) {
      switch (ip.action()) {
        case BLOCK -> {
          events = record(events, request, ip.id(), EventAction.BLOCK, EventKind.IP);
          return new SecurityVerdict.IpBlocked(ip, List.copyOf(events));
        }
        case LOG -> events = record(events, request, ip.id(), EventAction.LOG, EventKind.IP);
        case ALLOW -> {
          return proceed(events); // a trusted address: no firewall rule, no rate limit
        }
      }
    }

    // 2. Firewall rules, in order.
    boolean skipRateLimits = false;
    List<FirewallRule> firewall = security.firewall();
    rules:
    for (int i = 0, n = firewall.size(); i < n; i++) {
      FirewallRule rule = firewall.get(i);
      if (!rule.enabled() || !rule.expression().matches(request)) continue;
      switch (rule.action()) {
        case BLOCK -> {
          events = record(events, request, rule.id(), EventAction.BLOCK, EventKind.FIREWALL);
          return new SecurityVerdict.FirewallBlocked(rule.id(), rule.description(), List.copyOf(events));
        }
        case ALLOW -> {
          break rules;
        }
        case SKIP_RATE_LIMIT -> skipRateLimits = true;
        case LOG -> events = record(events, request, rule.id(), EventAction.LOG, EventKind.FIREWALL);
      }
    }

    // 3. Rate limits: every rule whose expression matches counts the request.
    if (!skipRateLimits) {
      List<RateLimitRule> limits = security.rateLimits();
      long now = limits.isEmpty() ? 0 : runtime.clock().millis();
      for (int i = 0, n = limits.size(); i < n; i++) {
        RateLimitRule rule = limits.get(i);
        if (!rule.enabled() || rule.expression() != null && !rule.expression().matches(request)) continue;
        RateCount count = runtime.counters().hit(counterKey(i, rule, request), rule.quota(), now);
        if (!count.limited()) continue;
        if (rule.action() == RateLimitAction.LOG) {
          events = record(events, request, rule.id(), EventAction.LOG, EventKind.RATE_LIMIT);
          continue;
        }
        events = record(events, request, rule.id(), EventAction.BLOCK, EventKind.RATE_LIMIT);
        RateLimitHeaders headers = RateLimitHeaders.of(rule, count);
        return new SecurityVerdict.RateLimited(rule.id(), count.resetSeconds(), headers, List.copyOf(events));
      }
    }
    return proceed(events);
  }

  /** The counter of the {@code index}th rate limit for this request: zone, rule id and the characteristics' values. */
  private String counterKey(int index, RateLimitRule rule, RequestActivation request) {
    List<Characteristic> characteristics = rule.characteristics();
    if (characteristics.size() == 1) return keys[index].key(keyPart(characteristics.get(0), request));
    StringBuilder key = new StringBuilder(64).append(keys[index].prefix());
    for (int i = 0, n = characteristics.size(); i < n; i++) {
      if (i > 0) key.append('\0');
      key.append(keyPart(characteristics.get(i), request));
    }
    return key.toString();
  }

  private static String keyPart(Characteristic c, RequestActivation request) {
    String v = c.valueOf(request);
    return v.length() > LONG_VALUE ? digest(v) : v;
  }

  private static String digest(String value) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "#" + Base64.getEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** Records one event (log, metrics) and adds it to the request's list, made on the first. */
  private List<SecurityEvent> record(List<SecurityEvent> events, RequestActivation request, String rule,
      EventAction action, EventKind kind) {
    List<SecurityEvent> list = events == null ? new ArrayList<>(2) : events;
    InetAddress client = request.clientAddress();
    SecurityEvent e = new SecurityEvent(runtime.now(), zone, rule, action, kind, request.clientIp(), request.host(),
        request.path(), request.ray(), originAddresses.contains(client));
    runtime.record(e);
    list.add(e);
    return list;
  }

  private static SecurityVerdict proceed(List<SecurityEvent> events) {
    return events == null ? SecurityVerdict.Continue.QUIET : new SecurityVerdict.Continue(List.copyOf(events));
  }
}
