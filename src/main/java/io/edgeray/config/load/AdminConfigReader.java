package io.edgeray.config.load;

import io.edgeray.config.AdminSettings;
import io.edgeray.config.AdminToken;
import io.edgeray.config.CertificateFiles;
import io.edgeray.config.ConfigException;
import io.edgeray.config.HostPort;
import io.edgeray.config.Scope;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code admin:}, either the old scalar {@code 127.0.0.1:9090} or
 * {@code {listen, tls: {cert, key}, tokens: [{name, scope, hash}], metrics_public}}.
 */
final class AdminConfigReader {
  private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

  private AdminConfigReader() {}

  /**
   * @param shared the fleet's tokens ({@code admin_tokens:}, from etcd on a fleet node): they count
   *     on this node's admin listener too, beside its own {@code admin.tokens}
   */
  static AdminSettings admin(ConfigValue v, List<AdminToken> shared) throws ConfigException {
    if (v.isScalar()) {
      HostPort listen = v.listenAddress();
      if (shared.isEmpty()) requireLoopback(v, listen);
      return new AdminSettings(listen, null, shared, false);
    }
    ConfigSection s = v.section();
    ConfigValue listenValue = s.required("listen");
    HostPort listen = listenValue.listenAddress();
    CertificateFiles tls = s.optional("tls").isPresent() ? ConfigLoader.certificateFiles(s.optional("tls").get()) : null;
    List<AdminToken> tokens = s.optional("tokens").isPresent() ? tokens(s.optional("tokens").get()) : List.of();
    boolean metricsPublic = s.optional("metrics_public").isPresent() && s.optional("metrics_public").get().bool();
    s.finish();
    List<AdminToken> all = new ArrayList<>(tokens);
    for (AdminToken t : shared) {
      AdminToken own = tokens.stream().filter(o -> o.name().equals(t.name())).findFirst().orElse(null);
      if (own == null) {
        all.add(t);
      } else if (!own.equals(t)) { // the same token in both (a node file imported to the fleet) counts once
        throw s.optional("tokens").get().error("the token named " + t.name() + " is also in the fleet's admin_tokens, with"
            + " another scope or hash; keep one of them");
      }
    }
    if (all.isEmpty()) requireLoopback(listenValue, listen);
    return new AdminSettings(listen, tls, all, metricsPublic);
  }

  /** {@code [{name, scope, hash}]}: {@code admin.tokens}, and the fleet's {@code admin_tokens}. */
  static List<AdminToken> tokens(ConfigValue v) throws ConfigException {
    List<AdminToken> tokens = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    for (ConfigValue t : v.list()) {
      ConfigSection s = t.section();
      ConfigValue nameValue = s.required("name");
      String name = nameValue.nonEmptyString();
      if (!TOKEN_NAME.matcher(name).matches()) {
        throw nameValue.error("\"" + name + "\" must be 1 to 64 letters, digits, dots, dashes or underscores");
      }
      Integer earlier = lines.putIfAbsent(name, t.line());
      if (earlier != null) throw nameValue.error("a token named " + name + " is already defined on line " + earlier);
      ConfigValue scopeValue = s.required("scope");
      Scope scope = Scope.parse(scopeValue.nonEmptyString());
      if (scope == null) throw scopeValue.error("\"" + scopeValue.string() + "\" is not a scope (read or edit)");
      ConfigValue hashValue = s.required("hash");
      String hash = hashValue.nonEmptyString();
      if (!HASH.matcher(hash).matches()) {
        throw hashValue.error("expected sha256: and 64 lowercase hex digits, as ./edgeray token create prints"
            + (hash.startsWith("edr_") ? " (this is the token itself: keep it secret and put only its hash here)" : ""));
      }
      s.finish();
      tokens.add(new AdminToken(name, scope, hash));
    }
    return tokens;
  }

  /** Without tokens the API must not be reachable from other hosts: anyone there could reload or purge. */
  private static void requireLoopback(ConfigValue where, HostPort listen) throws ConfigException {
    if (isLoopback(listen.host())) return;
    throw where.error(listen + " is reachable from other hosts and admin.tokens is empty: create a token with"
        + " ./edgeray token create NAME --scope edit and add it under admin.tokens, or listen on 127.0.0.1");
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) return true;
    if (!RecordConfigReader.isIpLiteral(host)) return false; // a name could resolve anywhere
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup is made
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
