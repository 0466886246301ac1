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

  ZonePolicy(String zone, ZoneSecurity security, IpAccessList edgeIpAccess, Set<InetAddress> originAddresses,
      SecurityRuntime runtime) {
    this.zone = zone;
    this.security = security;
    this.edgeIpAccess = edgeIpAccess;
    this.originAddresses = Set.copyOf(originAddresses);
    this.runtime = runtime;
  }

  /** Whether no rule at all applies here: then the request filter need not even build the facts. */
  boolean isEmpty() {
    return security.ipAccess().isEmpty() && security.firewall().isEmpty() && security.rateLimits().isEmpty()
        && edgeIpAccess.isEmpty();
  }

  SecurityVerdict evaluate(RequestFacts facts) {
    Events events = new Events(facts);

    // 1. IP access: the zone's own rules first (the owner can allow an address the edge blocks), then the edge's.
    byte[] address = facts.clientIp().getAddress();
    IpAccessRule ip = security.ipAccess().match(address);
    if (ip == null) ip = edgeIpAccess.match(address);
    if (ip != null) {
      switch (ip.action()) {
        case BLOCK -> {
          events.add(ip.id(), EventAction.BLOCK, EventKind.IP);
          return new SecurityVerdict.IpBlocked(ip, events.list());
        }
        case LOG -> events.add(ip.id(), EventAction.LOG, EventKind.IP);
        case ALLOW -> {
          return events.proceed(); // a trusted address: no firewall rule, no rate limit
        }
      }
    }

    // 2. Firewall rules, in order.
    RequestActivation activation = new RequestActivation(facts);
    boolean skipRateLimits = false;
    rules:
    for (FirewallRule rule : security.firewall()) {
      if (!rule.enabled() || !rule.expression().matches(activation)) continue;
      switch (rule.action()) {
        case BLOCK -> {
          events.add(rule.id(), EventAction.BLOCK, EventKind.FIREWALL);
          return new SecurityVerdict.FirewallBlocked(rule.id(), rule.description(), events.list());
        }
        case ALLOW -> {
          break rules;
        }
        case SKIP_RATE_LIMIT -> skipRateLimits = true;
        case LOG -> events.add(rule.id(), EventAction.LOG, EventKind.FIREWALL);
      }
    }

    // 3. Rate limits: every rule whose expression matches counts the request.
    if (!skipRateLimits) {
      long now = runtime.clock().millis();
      for (RateLimitRule rule : security.rateLimits()) {
        if (!rule.enabled() || rule.expression() != null && !rule.expression().matches(activation)) continue;
        RateCount count = runtime.counters().hit(counterKey(rule, facts, activation), rule.quota(), now);
        if (!count.limited()) continue;
        if (rule.action() == RateLimitAction.LOG) {
          events.add(rule.id(), EventAction.LOG, EventKind.RATE_LIMIT);
          continue;
        }
        events.add(rule.id(), EventAction.BLOCK, EventKind.RATE_LIMIT);
        RateLimitHeaders headers = RateLimitHeaders.of(rule, count);
        return new SecurityVerdict.RateLimited(rule.id(), count.resetSeconds(), headers, events.list());
      }
    }
    return events.proceed();
  }

  private String counterKey(RateLimitRule rule, RequestFacts facts, RequestActivation activation) {
    StringBuilder key = new StringBuilder(64).append(zone).append('\0').append(rule.id());
    for (Characteristic c : rule.characteristics()) {
      String v = c.valueOf(facts, activation);
      key.append('\0').append(v.length() > LONG_VALUE ? digest(v) : v);
    }
    return key.toString();
  }

  private static String digest(String value) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "#" + Base64.getEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** The events of one request, created only when a rule fires. */
  private final class Events {
    private final RequestFacts facts;
    private List<SecurityEvent> list;

    Events(RequestFacts facts) {
      this.facts = facts;
    }

    void add(String rule, EventAction action, EventKind kind) {
      if (list == null) list = new ArrayList<>(2);
      SecurityEvent e = new SecurityEvent(runtime.now(), zone, rule, action, kind,
          io.netty.util.NetUtil.toAddressString(facts.clientIp()), facts.host(), facts.path(), facts.ray(),
          originAddresses.contains(facts.clientIp()));
      runtime.record(e);
      list.add(e);
    }

    List<SecurityEvent> list() {
      return list == null ? List.of() : List.copyOf(list);
    }

    SecurityVerdict proceed() {
      return list == null ? SecurityVerdict.Continue.QUIET : new SecurityVerdict.Continue(List.copyOf(list));
    }
  }
}
