package io.edgeray.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/incidents} and {@code GET /api/incidents/{id}}, without the HTTP layer: the
 * admin server hands over the query and the id and writes back the status and JSON.
 *
 * <p>The list is newest first, each incident as a summary (id, host, zone, state, started,
 * ended, rays, failures, codes, sample_rays, cause, confidence, verdict); {@code ?state=open|closed} and
 * {@code ?limit=N} (default 50) narrow it. One incident answers its whole record.
 */
public final class IncidentsApi {
  /** What to answer: 200 and a JSON body, or an error status and its problem (the admin API's error shape). */
  public record Answer(int status, JsonNode body, Problem problem) {}

  /** @param field the query parameter at fault, or null */
  public record Problem(String code, String message, String field) {}

  private final Incidents incidents;

  public IncidentsApi(Incidents incidents) {
    this.incidents = incidents;
  }

  public Answer list(Map<String, String> query) {
    String state = query.get("state");
    if (state != null && !state.equals("open") && !state.equals("closed")) {
      return error(400, "bad_request", "state must be open or closed", "state");
    }
    int limit = 50;
    if (query.containsKey("limit")) {
      try {
        limit = Integer.parseInt(query.get("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > Incidents.KEPT) return error(400, "bad_request", "limit must be 1.." + Incidents.KEPT, "limit");
    }
    List<IncidentRecord> all = incidents.all();
    ObjectNode root = IncidentRecord.JSON.createObjectNode();
    root.put("open", all.stream().filter(IncidentRecord::open).count());
    ArrayNode list = root.putArray("incidents");
    all.stream().filter(r -> state == null || r.state().equals(state)).limit(limit).forEach(r -> list.add(summary(r)));
    return new Answer(200, root, null);
  }

  public Answer get(String id) {
    return incidents.get(id).map(r -> new Answer(200, IncidentRecord.JSON.valueToTree(r), null))
        .orElseGet(() -> error(404, "not_found", "no incident " + id + " (kept: the last " + Incidents.KEPT + ")", null));
  }

  static ObjectNode summary(IncidentRecord r) {
    ObjectNode n = IncidentRecord.JSON.createObjectNode();
    n.put("id", r.id());
    n.put("host", r.host());
    n.put("zone", r.zone());
    n.put("state", r.state());
    n.put("started", r.started());
    n.put("ended", r.ended());
    n.put("rays", r.rays());
    n.put("failures", r.failures());
    n.set("codes", IncidentRecord.JSON.valueToTree(r.codes()));
    n.set("sample_rays", IncidentRecord.JSON.valueToTree(r.sampleRays()));
    IncidentRecord.DoctorRun d = r.diagnosis();
    boolean ran = d != null && d.skipped() == null;
    n.put("cause", ran ? d.cause() : null);
    n.put("confidence", ran ? d.confidence() : null);
    n.put("verdict", ran ? d.verdict() : null);
    return n;
  }

  private static Answer error(int status, String code, String message, String field) {
    return new Answer(status, null, new Problem(code, message, field));
  }
}
