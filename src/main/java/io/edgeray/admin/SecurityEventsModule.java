package io.edgeray.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.security.EventAction;
import io.edgeray.security.EventQuery;
import io.edgeray.security.SecurityEvent;
import io.edgeray.security.SecurityEventLog;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * {@code GET /api/zones/{zone}/security/events?rule=&action=&ip=&since=&until=&limit=}: the zone's
 * last firewall, IP-rule and rate-limit events, newest first, for the owner and the dashboard.
 */
public final class SecurityEventsModule implements AdminModule {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecurityEventLog events;
  private final Supplier<EdgeConfig> config;

  public SecurityEventsModule(SecurityEventLog events, Supplier<EdgeConfig> config) {
    this.events = events;
    this.config = config;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.get("/api/zones/:zone/security/events").handler(access.read()).handler(ctx -> {
      String name = ctx.pathParam("zone");
      Zone zone = config.get().zones().stream().filter(z -> z.name().equalsIgnoreCase(name)).findFirst().orElse(null);
      if (zone == null) {
        AdminErrors.fail(ctx, 404, "no_such_zone", "no zone named " + name, null);
        return;
      }
      EventQuery query;
      try {
        query = query(new QueryStringDecoder(ctx.request().uri()).parameters());
      } catch (IllegalArgumentException e) {
        String message = e.getMessage();
        AdminErrors.fail(ctx, 400, "bad_query", message, message.substring(0, message.indexOf(':')));
        return;
      }
      ObjectNode root = JSON.createObjectNode().put("zone", zone.name());
      ArrayNode list = root.putArray("events");
      for (SecurityEvent e : events.events(zone.name(), query)) {
        list.addObject().put("time", e.time().toString()).put("rule", e.rule())
            .put("action", e.action().name().toLowerCase(Locale.ROOT)).put("kind", e.kind().name().toLowerCase(Locale.ROOT))
            .put("client_ip", e.clientIp()).put("host", e.host()).put("path", e.path()).put("ray", e.ray())
            .put("self_lockout", e.selfLockout());
      }
      AdminJson.send(ctx, 200, root);
    });
  }

  private static EventQuery query(Map<String, List<String>> p) {
    EventQuery q = EventQuery.ALL.withLimit(100);
    if (p.containsKey("rule")) q = q.withRule(p.get("rule").get(0));
    if (p.containsKey("action")) {
      String a = p.get("action").get(0);
      try {
        q = q.withAction(EventAction.valueOf(a.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("action: " + a + " is not one of " + List.of(EventAction.values()).toString().toLowerCase(Locale.ROOT));
      }
    }
    if (p.containsKey("ip")) q = q.withClientIp(p.get("ip").get(0));
    if (p.containsKey("since") || p.containsKey("until")) {
      q = q.between(instant(p, "since", Instant.MIN), instant(p, "until", Instant.MAX));
    }
    if (p.containsKey("limit")) {
      try {
        q = q.withLimit(Math.max(1, Math.min(1000, Integer.parseInt(p.get("limit").get(0)))));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("limit: " + p.get("limit").get(0) + " is not a number");
      }
    }
    return q;
  }

  private static Instant instant(Map<String, List<String>> p, String name, Instant otherwise) {
    if (!p.containsKey(name)) return otherwise;
    try {
      return Instant.parse(p.get(name).get(0));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + ": " + p.get(name).get(0) + " is not a UTC time like 2026-12-01T10:00:00Z");
    }
  }
}
