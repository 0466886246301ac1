package io.edgeray.security;

import dev.cel.runtime.CelVariableResolver;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of a rule expression for one request, the fields of {@link RequestFacts} under
 * the same names. The edge's own ({@link HttpRequestFacts}) reads them from the Netty request
 * head when a rule first asks, so a field no rule reads is never computed; {@link #of} wraps facts
 * made by hand (tests, tools). One per request, shared by all its rules; not thread-safe (a
 * request is on one thread).
 */
abstract class RequestActivation implements CelVariableResolver {
  /** Recent client addresses with their text and bytes: keep-alive visitors send request after request from one address. */
  private static final int ADDRESS_SLOTS = 64;
  private static final KnownAddress[] RECENT = new KnownAddress[ADDRESS_SLOTS];

  /** An address as the rules read it; {@code bytes} is shared, so nothing may write to it. */
  private record KnownAddress(InetAddress address, String text, byte[] bytes) {}

  private KnownAddress client;

  /** Facts already made, as the rules read them. */
  static RequestActivation of(RequestFacts facts) {
    return new OfFacts(facts);
  }

  abstract InetAddress clientAddress();

  abstract String host();

  abstract String method();

  abstract String path();

  abstract String query();

  abstract String fullUri();

  /** Lower-cased header names to their values. */
  abstract Map<String, List<String>> headers();

  /** The first value of a header (name lower-cased), or null. */
  abstract String header(String name);

  /** {@code name in http.request.headers}: whether the lower-cased map has {@code name}. */
  boolean hasHeader(String name) {
    return headers().containsKey(name);
  }

  abstract String cookie();

  abstract String userAgent();

  abstract String referer();

  abstract String httpVersion();

  abstract boolean ssl();

  /** The zone that serves the host, or null. */
  abstract String zone();

  abstract String ray();

  /** The value of one cookie in the Cookie header, or null. */
  String cookieValue(String name) {
    return RequestFacts.cookieValue(cookie(), name);
  }

  /** The client address's bytes (IPv4-mapped IPv6 stays 16 bytes; {@link CidrBlock} handles it); read only. */
  final byte[] clientBytes() {
    return client().bytes();
  }

  /** {@code ip.src}: the address as text, IPv6 compressed (RFC 5952). */
  final String clientIp() {
    return client().text();
  }

  private KnownAddress client() {
    KnownAddress c = client;
    if (c == null) client = c = known(clientAddress());
    return c;
  }

  /**
   * The address from a small table shared by the event loops (a lost race only forgets one):
   * formatting it anew for every request cost two objects and was most of what a per-address
   * rate limit allocated, and its bytes were a copy per request for the rules that test blocks.
   */
  private static KnownAddress known(InetAddress address) {
    int slot = address.hashCode() * 0x9E3779B9 >>> 26; // the top 6 bits: one of ADDRESS_SLOTS
    KnownAddress k = RECENT[slot];
    if (k != null && k.address().equals(address)) return k;
    k = new KnownAddress(address, NetUtil.toAddressString(address), address.getAddress());
    RECENT[slot] = k;
    return k;
  }

  @Override
  public final Optional<Object> find(String name) {
    Object v = switch (name) {
      case RuleExpressions.IP_SRC -> clientIp();
      case RuleExpressions.HOST -> host();
      case RuleExpressions.METHOD -> method();
      case RuleExpressions.PATH -> path();
      case RuleExpressions.QUERY -> query();
      case RuleExpressions.FULL_URI -> fullUri();
      case RuleExpressions.HEADERS -> headers();
      case RuleExpressions.COOKIE -> cookie();
      case RuleExpressions.USER_AGENT -> userAgent();
      case RuleExpressions.REFERER -> referer();
      case RuleExpressions.VERSION -> httpVersion();
      case RuleExpressions.SSL -> ssl();
      default -> null;
    };
    return Optional.ofNullable(v);
  }

  /** Over a {@link RequestFacts} record: every field is there already. */
  private static final class OfFacts extends RequestActivation {
    private final RequestFacts facts;

    OfFacts(RequestFacts facts) {
      this.facts = facts;
    }

    @Override InetAddress clientAddress() { return facts.clientIp(); }
    @Override String host() { return facts.host(); }
    @Override String method() { return facts.method(); }
    @Override String path() { return facts.path(); }
    @Override String query() { return facts.query(); }
    @Override String fullUri() { return facts.fullUri(); }
    @Override Map<String, List<String>> headers() { return facts.headers(); }
    @Override String header(String name) { return facts.header(name); }
    @Override String cookie() { return facts.cookie(); }
    @Override String userAgent() { return facts.userAgent(); }
    @Override String referer() { return facts.referer(); }
    @Override String httpVersion() { return facts.httpVersion(); }
    @Override boolean ssl() { return facts.ssl(); }
    @Override String zone() { return facts.zone(); }
    @Override String ray() { return facts.ray(); }
  }
}
