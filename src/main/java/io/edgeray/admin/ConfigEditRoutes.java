package io.edgeray.admin;

import io.edgeray.config.edit.ApiAnswer;
import io.edgeray.config.edit.ChangeAudit;
import io.edgeray.config.edit.ZonesApi;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * The zones, records, settings and origin routes ({@link ZonesApi}) on the admin port. They run
 * on the admin server's own thread, never a visitor's event loop; a change also fsyncs the config
 * file there. Every change, and every change refused for its values, goes to the audit.
 */
public final class ConfigEditRoutes {
  public static final String ZONES = "/api/zones";
  public static final String POOLS_PREFIX = "/api/pools/";

  private final ZonesApi api;
  private final ChangeAudit audit;

  public ConfigEditRoutes(ZonesApi api, ChangeAudit audit) {
    this.api = api;
    this.audit = audit;
  }

  /** {@code GET /api/zones} */
  public AdminRoute list() {
    return (method, query) -> method.equals("GET") ? response(api.zones()) : wrongMethod("GET");
  }

  /** Everything under {@code /api/zones/} but what other routes there take (purge, security events): null for those. */
  public PathRoute zones() {
    return (method, rest, body) -> {
      List<String> p = segments(rest);
      if (p.size() == 1) return method.equals("GET") ? response(api.zone(p.get(0))) : wrongMethod("GET");
      if (p.size() == 2 && p.get(1).equals("records")) {
        return switch (method) {
          case "GET" -> response(api.records(p.get(0)));
          case "POST" -> audited(method, ZONES + "/" + rest, api.createRecord(p.get(0), body));
          default -> wrongMethod("GET, POST");
        };
      }
      if (p.size() == 3 && p.get(1).equals("records")) {
        return switch (method) {
          case "PUT" -> audited(method, ZONES + "/" + rest, api.updateRecord(p.get(0), p.get(2), body, true));
          case "PATCH" -> audited(method, ZONES + "/" + rest, api.updateRecord(p.get(0), p.get(2), body, false));
          case "DELETE" -> audited(method, ZONES + "/" + rest, api.deleteRecord(p.get(0), p.get(2)));
          default -> wrongMethod("PUT, PATCH, DELETE");
        };
      }
      if (p.size() == 2 && p.get(1).equals("settings")) {
        return method.equals("PATCH") ? audited(method, ZONES + "/" + rest, api.zoneSettings(p.get(0), body)) : wrongMethod("PATCH");
      }
      return null;
    };
  }

  /** {@code POST /api/pools/{pool}/origins/{origin}} */
  public PathRoute origins() {
    return (method, rest, body) -> {
      List<String> p = segments(rest);
      if (p.size() != 3 || !p.get(1).equals("origins")) return null;
      return method.equals("POST") ? audited(method, POOLS_PREFIX + rest, api.originEnabled(p.get(0), p.get(2), body)) : wrongMethod("POST");
    };
  }

  private AdminResponse audited(String method, String path, ApiAnswer answer) {
    if (answer.audited()) audit.record(null, "admin", method, path, answer); // the caller's identity comes with the admin API's tokens
    return response(answer);
  }

  private static List<String> segments(String rest) {
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
    return List.of(path.split("/", -1)).stream().map(QueryStringDecoder::decodeComponent).toList();
  }

  private static AdminResponse response(ApiAnswer a) {
    return AdminResponse.json(a.status(), a.body().toString());
  }

  private static AdminResponse wrongMethod(String allowed) {
    return AdminResponse.json(405, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use " + allowed + "\",\"field\":null}}")
        .withHeader("Allow", allowed);
  }
}
