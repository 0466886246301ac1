package io.edgeray.config.edit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.cache.CacheSettings;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The zones, records, settings and origin routes of the admin API, free of any HTTP layer: path
 * parameters and the raw body in, an {@link ApiAnswer} out. Reads answer from the running
 * config; changes go through the {@link ConfigEditor}. Each method is blocking (a change fsyncs
 * the config file): callers run it off the edge's event loops.
 */
public final class ZonesApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Supplier<EdgeConfig> config;
  private final ConfigEditor editor;
  private final Function<String, X509Certificate> certificates;
  private final String expected; // the version a change is based on (If-Match), or null

  /** @param editor null when the edge runs without a config file: then every change answers 409 */
  public ZonesApi(Supplier<EdgeConfig> config, ConfigEditor editor) {
    this(config, editor, zone -> null);
  }

  /** @param certificates the certificate in service for a zone name, or null: the one the edge loaded for handshakes */
  public ZonesApi(Supplier<EdgeConfig> config, ConfigEditor editor, Function<String, X509Certificate> certificates) {
    this(config, editor, certificates, null);
  }

  private ZonesApi(Supplier<EdgeConfig> config, ConfigEditor editor, Function<String, X509Certificate> certificates,
      String expected) {
    this.config = config;
    this.editor = editor;
    this.certificates = certificates;
    this.expected = expected;
  }

  /** The version of the config changes are made on now, as an {@code ETag} ({@code "…"}); null without one. Blocking: reads the file. */
  public String etag() {
    String v = editor == null ? null : editor.version();
    return v == null ? null : '"' + v + '"';
  }

  /**
   * The same API whose changes are made only if the edited config is still at {@code version}
   * (a request's {@code If-Match}: on a fleet node the fleet config revision), else 409; null for any.
   */
  public ZonesApi basedOn(String version) {
    if (version == null || version.isBlank()) return this;
    String v = version.strip();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
    return new ZonesApi(config, editor, certificates, v);
  }

  /** {@code GET /api/zones} */
  public ApiAnswer zones() {
    ArrayNode list = F.arrayNode();
    config.get().zones().forEach(z -> list.add(ZoneJson.summary(z)));
    return ApiAnswer.ok(list);
  }

  /** {@code GET /api/zones/{zone}} */
  public ApiAnswer zone(String zone) {
    try {
      return ApiAnswer.ok(zoneJson(find(config.get(), zone)));
    } catch (EditRefused e) {
      return ApiAnswer.of(e);
    }
  }

  /** The zone with its records and the certificate the edge serves for it. */
  private ObjectNode zoneJson(Zone z) {
    ObjectNode o = ZoneJson.full(z);
    o.set("certificate", ZoneJson.certificate(certificates.apply(z.name())));
    return o;
  }

  /** {@code GET /api/zones/{zone}/records} */
  public ApiAnswer records(String zone) {
    try {
      ArrayNode list = F.arrayNode();
      find(config.get(), zone).records().forEach(r -> list.add(ZoneJson.record(r)));
      return ApiAnswer.ok(list);
    } catch (EditRefused e) {
      return ApiAnswer.of(e);
    }
  }

  /** {@code POST /api/zones/{zone}/records}: 201 with the new record, its id included. */
  public ApiAnswer createRecord(String zone, byte[] body) {
    return change("zone " + zone + ": add record", body, (json, edits) -> {
      EdgeConfig next = edits.edit(Edits.addRecord(zone, json));
      List<DnsRecord> records = find(next, zone).records();
      return new ApiAnswer(201, ZoneJson.record(records.get(records.size() - 1)), null);
    });
  }

  /** {@code PUT} (the record as given, {@code replace}) or {@code PATCH} (only the fields given) {@code /api/zones/{zone}/records/{id}}. */
  public ApiAnswer updateRecord(String zone, String id, byte[] body, boolean replace) {
    return change("zone " + zone + ": " + (replace ? "replace" : "update") + " record " + id, body, (json, edits) -> {
      int index = Edits.recordIndex(find(config.get(), zone), id);
      EdgeConfig next = edits.edit(Edits.updateRecord(zone, id, json, replace));
      return ApiAnswer.ok(ZoneJson.record(find(next, zone).records().get(index)));
    });
  }

  /** {@code DELETE /api/zones/{zone}/records/{id}} */
  public ApiAnswer deleteRecord(String zone, String id) {
    return change("zone " + zone + ": delete record " + id, null, (json, edits) -> {
      edits.edit(Edits.deleteRecord(zone, id));
      ObjectNode o = F.objectNode().put("id", id).put("deleted", true);
      return ApiAnswer.ok(o);
    });
  }

  /** {@code PATCH /api/zones/{zone}/settings}: the zone as it is now. */
  public ApiAnswer zoneSettings(String zone, byte[] body) {
    return change("zone " + zone + ": settings", body, (json, edits) -> ApiAnswer.ok(zoneJson(find(edits.edit(Edits.zoneSettings(zone, json)), zone))));
  }

  /** {@code POST /api/pools/{pool}/origins/{origin}} with {@code {"enabled": bool}}. */
  public ApiAnswer originEnabled(String pool, String origin, byte[] body) {
    return change("pool " + pool + ": origin " + origin, body, (json, edits) -> {
      JsonNode enabled = json.get("enabled");
      if (!json.isObject() || enabled == null || !enabled.isBoolean() || json.size() != 1) {
        throw new EditRefused(422, "invalid_value", "send {\"enabled\": true} or {\"enabled\": false}", "enabled");
      }
      edits.edit(Edits.originEnabled(pool, origin, enabled.booleanValue()));
      return ApiAnswer.ok(F.objectNode().put("pool", pool).put("origin", origin).put("enabled", enabled.booleanValue()));
    });
  }

  /** {@code GET /api/zones/{zone}/firewall} (or {@code rate_limits}, {@code ip_access}); {@code GET /api/ip_access} with zone null. */
  public ApiAnswer rules(String zone, RuleList list) {
    try {
      EdgeConfig c = config.get();
      return ApiAnswer.ok(F.arrayNode().addAll(list.items(c, zone == null ? -1 : Edits.zoneIndex(c, zone))));
    } catch (EditRefused e) {
      return ApiAnswer.of(e);
    }
  }

  /** {@code POST} to a rule list: the rule goes last; 201 with it as loaded. */
  public ApiAnswer addRule(String zone, RuleList list, byte[] body) {
    return change(where(zone) + ": add " + list.key() + " rule", body, (json, edits) -> {
      EdgeConfig next = edits.edit(RuleEdits.add(zone, list, json));
      List<JsonNode> items = list.items(next, zone == null ? -1 : Edits.zoneIndex(next, zone));
      return new ApiAnswer(201, items.get(items.size() - 1), null);
    });
  }

  /** {@code PATCH .../{list}/{id}}: only the keys given; null removes one. Answers the rule as loaded (its id may be new). */
  public ApiAnswer updateRule(String zone, RuleList list, String id, byte[] body) {
    return change(where(zone) + ": update " + list.key() + " rule " + id, body, (json, edits) -> {
      EdgeConfig before = config.get();
      int index = list.indexOf(before, zone == null ? -1 : Edits.zoneIndex(before, zone), id);
      EdgeConfig next = edits.edit(RuleEdits.update(zone, list, id, json));
      return ApiAnswer.ok(list.items(next, zone == null ? -1 : Edits.zoneIndex(next, zone)).get(index));
    });
  }

  /** {@code DELETE .../{list}/{id}} */
  public ApiAnswer deleteRule(String zone, RuleList list, String id) {
    return change(where(zone) + ": delete " + list.key() + " rule " + id, null, (json, edits) -> {
      edits.edit(RuleEdits.delete(zone, list, id));
      return ApiAnswer.ok(F.objectNode().put("id", id).put("deleted", true));
    });
  }

  /** {@code PUT} a rule list: the whole ordered list replaced; answers it as loaded. */
  public ApiAnswer replaceRules(String zone, RuleList list, byte[] body) {
    return change(where(zone) + ": replace " + list.key(), body, (json, edits) -> {
      EdgeConfig next = edits.edit(RuleEdits.replace(zone, list, json));
      return ApiAnswer.ok(F.arrayNode().addAll(list.items(next, zone == null ? -1 : Edits.zoneIndex(next, zone))));
    });
  }

  /** {@code GET /api/zones/{zone}/cache/rules} */
  public ApiAnswer cacheRules(String zone) {
    try {
      return ApiAnswer.ok(cacheRulesJson(find(config.get(), zone)));
    } catch (EditRefused e) {
      return ApiAnswer.of(e);
    }
  }

  /** {@code PUT /api/zones/{zone}/cache/rules}: the whole ordered list replaced; answers it as loaded. */
  public ApiAnswer replaceCacheRules(String zone, byte[] body) {
    return change("zone " + zone + ": replace cache rules", body,
        (json, edits) -> ApiAnswer.ok(cacheRulesJson(find(edits.edit(RuleEdits.replaceCacheRules(zone, json)), zone))));
  }

  private static ArrayNode cacheRulesJson(Zone z) {
    ArrayNode list = F.arrayNode();
    z.features().get(CacheSettings.class, CacheSettings.DEFAULTS).rules().forEach(r -> list.add(RuleJson.cacheRule(r)));
    return list;
  }

  private static String where(String zone) {
    return zone == null ? "edge" : "zone " + zone;
  }

  private interface Change {
    ApiAnswer make(JsonNode body, Made edits) throws EditRefused;
  }

  /** One request's edit through the editor, and when it is in service on this node. */
  private final class Made {
    private CompletionStage<Void> live = CompletableFuture.completedFuture(null);

    EdgeConfig edit(ConfigEdit edit) throws EditRefused {
      ConfigEditor.Made made = editor.change(edit, expected);
      live = made.live();
      return made.config();
    }
  }

  /** Parses the body, makes the change and labels the answer for the audit log (changes and invalid values; not 404s or bad JSON). */
  private ApiAnswer change(String what, byte[] body, Change change) {
    JsonNode json = F.nullNode();
    if (body != null) {
      try {
        json = body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException e) {
        String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return ApiAnswer.error(400, "malformed_json", "the body is not JSON: " + why, null);
      }
      if (json == null) return ApiAnswer.error(400, "malformed_json", "the body is empty; send a JSON object", null);
    }
    String described = body == null ? what : what + " " + compact(json);
    if (editor == null) {
      return ApiAnswer.error(409, "no_config_file", "this edge was started without a config file; there is nothing to change", null);
    }
    try {
      if (expected != null) editor.expect(expected); // a stale base is the answer, whatever else is wrong with the change
      Made edits = new Made();
      return change.make(json, edits).withChange(described).after(edits.live);
    } catch (EditRefused e) {
      ApiAnswer refused = ApiAnswer.of(e);
      return e.status() == 422 ? refused.withChange(described) : refused;
    }
  }

  private static String compact(JsonNode json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      return json.toString();
    }
  }

  private static Zone find(EdgeConfig config, String zone) throws EditRefused {
    return config.zones().get(Edits.zoneIndex(config, zone));
  }
}
