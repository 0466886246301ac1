package io.edgeray.security;

import java.util.Locale;

/** What a matching firewall rule does. */
public enum FirewallAction {
  /** 403 with page code 1020, the rule's id and description. */
  BLOCK,
  /** Stop evaluating firewall rules for this request; rate limits still apply. */
  ALLOW,
  /** Go on with the firewall rules, but count this request against no rate limit. */
  SKIP_RATE_LIMIT,
  /** Record an event and go on. */
  LOG;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action for a config word ({@code block}, {@code skip_rate_limit}...), or null. */
  public static FirewallAction parse(String word) {
    for (FirewallAction a : values()) if (a.word().equals(word)) return a;
    return null;
  }
}
