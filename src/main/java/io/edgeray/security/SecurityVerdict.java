package io.edgeray.security;

import java.util.List;

/**
 * The request filter's decision for one request. {@link Continue} lets it go on; the others answer
 * it with an error page. Every verdict carries the events it recorded (already in the event log
 * and the metrics): the access log's {@code security} field is {@link #logged()}.
 */
public sealed interface SecurityVerdict {
  /** Events recorded for this request, in the order the rules fired. */
  List<SecurityEvent> events();

  /** The event the access log names ({@code security: {rule, action, kind}}): the deciding one, else the last; null when none. */
  default SecurityEvent logged() {
    List<SecurityEvent> e = events();
    return e.isEmpty() ? null : e.get(e.size() - 1);
  }

  /** The request goes on to the next phase. */
  record Continue(List<SecurityEvent> events) implements SecurityVerdict {
    static final Continue QUIET = new Continue(List.of());
  }

  /**
   * An IP access rule blocks the visitor: 403, page code 1006 (Cloudflare's "your IP address has
   * been banned"). The page shows no rule detail beyond the code and the ray.
   */
  record IpBlocked(IpAccessRule rule, List<SecurityEvent> events) implements SecurityVerdict {
    public int status() { return 403; }
    public int pageCode() { return 1006; }
  }

  /**
   * A firewall rule blocks the request: 403, page code 1020, with the rule's id and description
   * on the page (never its expression).
   */
  record FirewallBlocked(String ruleId, String description, List<SecurityEvent> events) implements SecurityVerdict {
    public int status() { return 403; }
    public int pageCode() { return 1020; }
  }

  /**
   * A rate limit refuses the request: 429, page code 1015, {@code Retry-After: retryAfterSeconds}
   * and the RateLimit headers.
   */
  record RateLimited(String ruleId, long retryAfterSeconds, RateLimitHeaders headers, List<SecurityEvent> events)
      implements SecurityVerdict {
    public int status() { return 429; }
    public int pageCode() { return 1015; }
  }
}
