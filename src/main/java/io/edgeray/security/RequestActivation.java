package io.edgeray.security;

import dev.cel.runtime.CelVariableResolver;
import io.netty.util.NetUtil;
import java.util.Optional;

/**
 * The variables of a rule expression for one request, computed only when an expression asks for
 * them: a rule that reads only {@code http.request.uri.path} never formats the client address.
 * One per request, shared by all its rules; not thread-safe (a request is on one thread).
 */
final class RequestActivation implements CelVariableResolver {
  private final RequestFacts facts;
  private String clientIp;
  private byte[] clientBytes;

  RequestActivation(RequestFacts facts) {
    this.facts = facts;
  }

  RequestFacts facts() {
    return facts;
  }

  /** The client address's bytes, once per request (IPv4-mapped IPv6 stays 16 bytes; {@link CidrBlock} handles it). */
  byte[] clientBytes() {
    byte[] b = clientBytes;
    if (b == null) clientBytes = b = facts.clientIp().getAddress();
    return b;
  }

  String clientIp() {
    String ip = clientIp;
    if (ip == null) clientIp = ip = NetUtil.toAddressString(facts.clientIp());
    return ip;
  }

  @Override
  public Optional<Object> find(String name) {
    Object v = switch (name) {
      case RuleExpressions.IP_SRC -> clientIp();
      case RuleExpressions.HOST -> facts.host();
      case RuleExpressions.METHOD -> facts.method();
      case RuleExpressions.PATH -> facts.path();
      case RuleExpressions.QUERY -> facts.query();
      case RuleExpressions.FULL_URI -> facts.fullUri();
      case RuleExpressions.HEADERS -> facts.headers();
      case RuleExpressions.COOKIE -> facts.cookie();
      case RuleExpressions.USER_AGENT -> facts.userAgent();
      case RuleExpressions.REFERER -> facts.referer();
      case RuleExpressions.VERSION -> facts.httpVersion();
      case RuleExpressions.SSL -> facts.ssl();
      default -> null;
    };
    return Optional.ofNullable(v);
  }
}
