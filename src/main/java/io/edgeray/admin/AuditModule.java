package io.edgeray.admin;

import io.vertx.ext.web.Router;
import java.util.Map;

/** {@code GET /api/audit?limit=N}: the latest changes made through the admin API, newest first. */
public final class AuditModule implements AdminModule {
  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/audit").handler(access.read()).handler(ctx -> {
      String limitText = ctx.queryParams().get("limit");
      int limit = 100;
      if (limitText != null) {
        try {
          limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
          limit = -1;
        }
        if (limit < 1 || limit > AuditLog.KEPT) {
          AdminErrors.fail(ctx, 400, "bad_query", "limit: " + limitText + " is not a number from 1 to " + AuditLog.KEPT, "limit");
          return;
        }
      }
      AdminJson.send(ctx, 200, Map.of("entries", access.auditLog().latest(limit)));
    });
  }
}
