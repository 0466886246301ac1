package io.edgeray.security;

import java.time.Instant;

/**
 * Which events to return; a null field matches everything.
 *
 * @param since inclusive; @param until exclusive
 * @param limit at most this many, newest first
 */
public record EventQuery(String rule, EventAction action, String clientIp, Instant since, Instant until, int limit) {
  public static final EventQuery ALL = new EventQuery(null, null, null, null, null, Integer.MAX_VALUE);

  public EventQuery withRule(String r) {
    return new EventQuery(r, action, clientIp, since, until, limit);
  }

  public EventQuery withAction(EventAction a) {
    return new EventQuery(rule, a, clientIp, since, until, limit);
  }

  public EventQuery withClientIp(String ip) {
    return new EventQuery(rule, action, ip, since, until, limit);
  }

  public EventQuery between(Instant from, Instant to) {
    return new EventQuery(rule, action, clientIp, from, to, limit);
  }

  public EventQuery withLimit(int n) {
    return new EventQuery(rule, action, clientIp, since, until, n);
  }

  boolean matches(SecurityEvent e) {
    return (rule == null || rule.equals(e.rule()))
        && (action == null || action == e.action())
        && (clientIp == null || clientIp.equals(e.clientIp()))
        && (since == null || !e.time().isBefore(since))
        && (until == null || e.time().isBefore(until));
  }
}
