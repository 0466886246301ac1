package io.edgeray.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.edgeray.config.AdminSettings;
import io.edgeray.config.AdminToken;
import io.edgeray.config.Scope;
import io.edgeray.fleet.FleetSecret;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who may use a route: a bearer token, or a dashboard session (then with its CSRF token on every
 * state-changing request), checked against the tokens of the running config, so a reload that
 * removes a token ends its sessions too. Every state-changing request that gets past the check is
 * written to the audit log when its answer is sent.
 */
public final class AdminAccess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IDENTITY = "edgeray.identity";
  private static final String CHANGE = "edgeray.change";
  private static final String AUDITED = "edgeray.audited";
  static final String SESSION_COOKIE = "edgeray_session";
  static final String SESSION_TOKEN = "token_hash";
  static final String SESSION_CSRF = "csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String FLEET_IDENTITY = "fleet:";
  private static final java.util.regex.Pattern NODE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final Supplier<AdminSettings> settings;
  private final String localToken;
  private final Path localTokenFile;
  private final AuditLog audit;
  private final Clock clock;
  private final SignInLimiter guesses;
  private final Supplier<String> fleetSecret;

  /**
   * @param localToken the edit token of an edge without admin.tokens ({@link LocalToken}), or null
   * @param localTokenFile where that token is, for the 401's message
   * @param guesses counts the wrong bearer tokens per address (a limiter of its own, not the sign-in route's)
   * @param fleetSecret the fleet's node-to-node secret ({@link FleetSecret}), null while there is none
   */
  public AdminAccess(Supplier<AdminSettings> settings, String localToken, Path localTokenFile, AuditLog audit, Clock clock,
      SignInLimiter guesses, Supplier<String> fleetSecret) {
    this.fleetSecret = fleetSecret;
    this.settings = settings;
    this.localToken = localToken;
    this.localTokenFile = localTokenFile;
    this.audit = audit;
    this.clock = clock;
    this.guesses = guesses;
  }

  /** The running config's admin settings. */
  public AdminSettings settings() {
    return settings.get();
  }

  public Handler<RoutingContext> read() {
    return ctx -> check(ctx, Scope.READ);
  }

  public Handler<RoutingContext> edit() {
    return ctx -> check(ctx, Scope.EDIT);
  }

  /** An edit token, or another node of the fleet with the fleet credential: only the fleet's own routes use it. */
  public Handler<RoutingContext> editOrFleet() {
    return ctx -> check(ctx, Scope.EDIT, true);
  }

  /** Whether the caller is another node of the fleet (identity {@code fleet:NODE}), not a token. */
  public boolean byFleet(RoutingContext ctx) {
    return identity(ctx).tokenName().startsWith(FLEET_IDENTITY);
  }

  /** The caller, once {@link #read()} or {@link #edit()} let it through. */
  public Identity identity(RoutingContext ctx) {
    Identity id = ctx.get(IDENTITY);
    if (id == null) throw new IllegalStateException("identity() on a route without access.read() or access.edit()");
    return id;
  }

  /** What this request changed, for its audit line (a sentence, or a record or map written as JSON); by default its JSON body. */
  public void change(RoutingContext ctx, Object change) {
    ctx.put(CHANGE, change);
  }

  /**
   * Writes an audit line now, for a change that does not end with this request's answer, and
   * none when the answer is sent.
   */
  public void audit(RoutingContext ctx, Object change, String result) {
    ctx.put(AUDITED, true);
    Identity id = identity(ctx);
    audit.append(new AuditLog.Entry(clock.instant().toString(), id.tokenName(), id.address(), ctx.request().method().name(),
        ctx.request().path(), json(change), result, ctx.response().getStatusCode()));
  }

  public AuditLog auditLog() {
    return audit;
  }

  /** The tokens accepted now: the config's, or the local one when the config has none. */
  List<AdminToken> tokens() {
    List<AdminToken> configured = settings.get().tokens();
    if (!configured.isEmpty() || localToken == null) return configured;
    return List.of(new AdminToken(LocalToken.NAME, Scope.EDIT, Tokens.hash(localToken)));
  }

  private void check(RoutingContext ctx, Scope needed) {
    check(ctx, needed, false);
  }

  private void check(RoutingContext ctx, Scope needed, boolean fleetAllowed) {
    String address = ctx.request().remoteAddress().hostAddress();
    String authorization = ctx.request().getHeader("Authorization");
    AdminToken token;
    boolean bySession = false;
    if (authorization != null) {
      // like limit_req: while an address is over its failures, every token it sends waits, a valid one too,
      // so the answers say nothing about which guesses were right; other addresses are not affected
      java.time.Duration wait = guesses.retryAfter(address);
      if (wait != null) {
        AdminErrors.tooMany(ctx, wait, "too_many_failed_tokens", "too many wrong tokens from " + address);
        return;
      }
      String presented = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
      if (FleetSecret.isFleetCredential(presented)) {
        fleetCaller(ctx, presented, fleetAllowed, needed, address);
        return;
      }
      token = Tokens.find(tokens(), presented);
      if (token == null) {
        guesses.failed(address);
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgeray\", error=\"invalid_token\"");
        AdminErrors.fail(ctx, 401, "invalid_token", presented == null ? "the Authorization header must be Bearer <token>"
            : "this token is not one of the edge's admin tokens (or was removed from admin.tokens)", null);
        return;
      }
    } else {
      token = sessionToken(ctx);
      bySession = token != null;
      if (token == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgeray\"");
        AdminErrors.fail(ctx, 401, "token_missing", howToAuthenticate(), null);
        return;
      }
    }
    if (!token.scope().allows(needed)) {
      AdminErrors.fail(ctx, 403, "scope_insufficient", "the token " + token.name() + " may only " + token.scope().word()
          + "; " + ctx.request().method() + " " + ctx.request().path() + " needs an " + needed.word() + " token", null);
      return;
    }
    boolean changes = !SAFE.contains(ctx.request().method());
    if (bySession && changes && !csrfOk(ctx)) return;
    Identity id = new Identity(token.name(), token.scope(), address);
    ctx.put(IDENTITY, id);
    if (changes) ctx.addEndHandler(done -> auditAtEnd(ctx, id));
    ctx.next();
  }

  /** Another node, with the fleet credential: let through only to the fleet's own routes. */
  private void fleetCaller(RoutingContext ctx, String presented, boolean allowed, Scope needed, String address) {
    if (!FleetSecret.matches(fleetSecret.get(), presented)) {
      guesses.failed(address);
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgeray\", error=\"invalid_token\"");
      AdminErrors.fail(ctx, 401, "invalid_token", "this is not the fleet's node-to-node credential"
          + (fleetSecret.get() == null ? " (this node is not in a fleet, or has not read it from etcd yet)" : ""), null);
      return;
    }
    String node = ctx.request().getHeader(FleetSecret.NODE_HEADER);
    if (node == null || !NODE_NAME.matcher(node).matches()) {
      AdminErrors.fail(ctx, 401, "fleet_node_missing", "a call with the fleet credential names its node in the "
          + FleetSecret.NODE_HEADER + " header (letters, digits, . _ -)", null);
      return;
    }
    if (!allowed) {
      AdminErrors.fail(ctx, 403, "scope_insufficient", "the fleet credential opens only the fleet's own routes (POST /api/doctor); "
          + ctx.request().method() + " " + ctx.request().path() + " needs an " + needed.word() + " token", null);
      return;
    }
    Identity id = new Identity(FLEET_IDENTITY + node, Scope.READ, address);
    ctx.put(IDENTITY, id);
    if (!SAFE.contains(ctx.request().method())) ctx.addEndHandler(done -> auditAtEnd(ctx, id));
    ctx.next();
  }

  /** The token behind the request's session cookie, when it has one and that token is still configured. */
  AdminToken sessionToken(RoutingContext ctx) {
    if (ctx.request().getCookie(SESSION_COOKIE) == null || ctx.session() == null) return null;
    String hash = ctx.session().get(SESSION_TOKEN);
    if (hash == null) return null;
    for (AdminToken t : tokens()) if (t.hash().equals(hash)) return t;
    return null;
  }

  /** A cross-site page can make the browser send the cookie, never this header with the session's own value. */
  private static boolean csrfOk(RoutingContext ctx) {
    String sent = ctx.request().getHeader(CSRF_HEADER);
    Session session = ctx.session();
    if (sent == null || sent.isEmpty()) {
      AdminErrors.fail(ctx, 403, "csrf_missing", "a change made with a session cookie needs the header " + CSRF_HEADER
          + " with the csrf value that POST /api/session answered", null);
      return false;
    }
    String expected = session.get(SESSION_CSRF);
    if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
      AdminErrors.fail(ctx, 403, "csrf_invalid", "the " + CSRF_HEADER + " header does not match this session's csrf value", null);
      return false;
    }
    return true;
  }

  private String howToAuthenticate() {
    if (settings.get().tokens().isEmpty() && localTokenFile != null) {
      return "send Authorization: Bearer <token>. No admin.tokens are configured, so this edge made an edit token for"
          + " its own host in " + localTokenFile + " (curl -H \"Authorization: Bearer $(cat " + localTokenFile + ")\" ...);"
          + " ./edgeray token create NAME --scope read|edit makes named ones";
    }
    return "send Authorization: Bearer <token>; ./edgeray token create NAME --scope read|edit makes one for admin.tokens";
  }

  private void auditAtEnd(RoutingContext ctx, Identity id) {
    if (Boolean.TRUE.equals(ctx.get(AUDITED))) return;
    int status = ctx.response().getStatusCode();
    Object change = ctx.get(CHANGE);
    JsonNode what = change != null ? json(change) : body(ctx);
    String result = status < 400 ? "ok" : status < 500 ? "refused" : "failed";
    audit.append(new AuditLog.Entry(clock.instant().toString(), id.tokenName(), id.address(), ctx.request().method().name(),
        ctx.request().path(), what, result, status));
  }

  private static JsonNode body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) return null;
    try {
      return JSON.readTree(ctx.body().buffer().getBytes());
    } catch (IOException e) {
      String text = ctx.body().asString();
      return TextNode.valueOf(text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
  }

  private static JsonNode json(Object change) {
    if (change == null) return null;
    if (change instanceof String s) return TextNode.valueOf(s);
    return JSON.valueToTree(change);
  }
}
