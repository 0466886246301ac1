package io.edgeray.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.cache.CacheSettings;
import io.edgeray.cache.HttpCache;
import io.edgeray.cache.Purge;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.fleet.Fleet;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * {@code POST /api/zones/{zone}/purge} with {@code {"files": [...]}}, {@code {"prefixes": [...]}},
 * {@code {"tags": [...]}} or {@code {"everything": true}} (several at once are allowed). When it
 * answers, no new request finds a purged object.
 *
 * <p>On a fleet node the purge is applied here, then published to the other nodes, and the answer
 * waits (up to {@link Fleet#CONFIRM}) for them: {@code confirmed} lists the nodes whose caches no
 * longer have the objects, {@code unconfirmed} those that did not say so in time.
 */
public final class PurgeModule implements AdminModule {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpCache cache;
  private final Supplier<EdgeConfig> config;
  private final Supplier<Fleet> fleet;

  public PurgeModule(HttpCache cache, Supplier<EdgeConfig> config) {
    this(cache, config, () -> null);
  }

  /** @param fleet the fleet this node is in, or null while it stands alone */
  public PurgeModule(HttpCache cache, Supplier<EdgeConfig> config, Supplier<Fleet> fleet) {
    this.cache = cache;
    this.config = config;
    this.fleet = fleet;
  }

  /**
   * Applies a purge's JSON body to a zone of this node's cache; the count of objects purged.
   * IllegalArgumentException says what is wrong (no such zone, a bad body).
   */
  public static int apply(HttpCache cache, EdgeConfig config, String zoneName, byte[] body) {
    Zone zone = zone(config, zoneName);
    if (zone == null) throw new IllegalArgumentException("no zone named " + zoneName);
    return cache.purge(zone.name(), zone.features().get(CacheSettings.class, CacheSettings.DEFAULTS), parse(body));
  }

  private static Zone zone(EdgeConfig config, String name) {
    return config.zones().stream().filter(z -> z.name().equalsIgnoreCase(name)).findFirst().orElse(null);
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.post("/api/zones/:zone/purge").handler(access.edit()).handler(ctx -> {
      String name = ctx.pathParam("zone");
      Zone zone = zone(config.get(), name);
      if (zone == null) {
        AdminErrors.fail(ctx, 404, "no_such_zone", "no zone named " + name, null);
        return;
      }
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      Purge purge;
      try {
        purge = parse(body);
      } catch (IllegalArgumentException e) {
        AdminErrors.fail(ctx, 400, "bad_purge", e.getMessage(), null);
        return;
      }
      int n = cache.purge(zone.name(), zone.features().get(CacheSettings.class, CacheSettings.DEFAULTS), purge);
      ObjectNode answer = JSON.createObjectNode().put("zone", zone.name()).put("purged", n);
      Fleet f = fleet.get();
      if (f == null) {
        AdminJson.send(ctx, 200, answer);
        return;
      }
      String json = new String(body, StandardCharsets.UTF_8);
      // the writes to etcd run on a worker; the wait for the other nodes holds no thread
      ctx.vertx().executeBlocking(() -> f.purge(zone.name(), json))
          .compose(waiting -> Future.fromCompletionStage(waiting, ctx.vertx().getOrCreateContext()))
          .onSuccess(o -> {
            o.confirmed().forEach(answer.putArray("confirmed")::add);
            ArrayNode unconfirmed = answer.putArray("unconfirmed");
            o.unconfirmed().forEach(unconfirmed::add);
            AdminJson.send(ctx, 200, answer);
          })
          .onFailure(e -> {
            if (!(e instanceof io.edgeray.fleet.FleetConfigStore.Unreachable)) {
              ctx.fail(e); // a bug, not etcd: the 500 handler logs it
              return;
            }
            AdminErrors.fail(ctx, 503, "etcd_unreachable", "purged " + n + " object(s) on this node; the other nodes learn"
                + " of a purge through etcd, which did not answer, so whether they got it is not known (" + e.getMessage() + ")",
                null);
          });
    });
  }

  /** The purge a JSON body asks for; IllegalArgumentException says what is wrong with it. */
  static Purge parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("send a JSON object: {\"files\": [...]}, {\"prefixes\": [...]}, {\"tags\": [...]}"
          + " or {\"everything\": true}");
    }
    List<String> unknown = new ArrayList<>();
    root.fieldNames().forEachRemaining(f -> {
      if (!List.of("files", "prefixes", "tags", "everything").contains(f)) unknown.add(f);
    });
    if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown key " + unknown.get(0) + "; use files, prefixes, tags or everything");
    JsonNode all = root.get("everything");
    if (all != null && !all.isBoolean()) throw new IllegalArgumentException("everything must be true or false");
    Purge p = new Purge(strings(root, "files"), strings(root, "prefixes"), strings(root, "tags"), all != null && all.asBoolean());
    if (!p.everything() && p.files().isEmpty() && p.prefixes().isEmpty() && p.tags().isEmpty()) {
      throw new IllegalArgumentException("nothing to purge: give files, prefixes, tags or \"everything\": true");
    }
    return p;
  }

  private static List<String> strings(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null) return List.of();
    if (!n.isArray()) throw new IllegalArgumentException(key + " must be a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual() || e.asText().isBlank()) throw new IllegalArgumentException(key + " must be a list of non-empty strings");
      out.add(e.asText());
    }
    return out;
  }
}
