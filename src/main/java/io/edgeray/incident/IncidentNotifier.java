package io.edgeray.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.IncidentSettings;
import io.edgeray.config.PoolSpec;
import io.edgeray.pool.WebhookNotifier;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Tells the owner: {@code incidents.notify} and the webhook of every pool whose origins failed
 * get one JSON message when an incident opens, when the doctor's verdict is in, and when it
 * closes. Posted and retried by the pools' own {@link WebhookNotifier}. The {@code text} field is
 * the message in words, so a Slack or Mattermost incoming webhook shows it as it is.
 */
final class IncidentNotifier {
  /** The events, as {@code event} names them. */
  static final String OPENED = "opened";
  static final String VERDICT = "verdict";
  static final String CLOSED = "closed";

  private final Supplier<EdgeConfig> config;
  private final WebhookNotifier webhook;

  IncidentNotifier(Supplier<EdgeConfig> config, WebhookNotifier webhook) {
    this.config = config;
    this.webhook = webhook;
  }

  void send(String event, IncidentRecord r, Incident incident) {
    EdgeConfig c = config.get();
    Set<URI> to = new LinkedHashSet<>();
    URI edgeWide = c.features().get(IncidentSettings.class, IncidentSettings.DEFAULTS).notifyUrl();
    if (edgeWide != null) to.add(edgeWide);
    for (String pool : incident.pools()) {
      for (PoolSpec p : c.pools()) if (p.name().equals(pool) && p.webhook() != null) to.add(p.webhook());
    }
    if (to.isEmpty()) return;
    String json = message(event, r, c.node());
    for (URI u : to) webhook.post(u, json);
  }

  static String message(String event, IncidentRecord r, String node) {
    ObjectNode n = IncidentRecord.JSON.createObjectNode();
    n.put("event", "incident_" + event);
    n.put("text", text(event, r, node));
    n.set("incident", IncidentRecord.JSON.valueToTree(r));
    try {
      return IncidentRecord.JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The message in words, one or two lines, as a chat shows it. */
  static String text(String event, IncidentRecord r, String node) {
    String head = "edgeray " + node + ": incident " + r.id() + " for " + r.host();
    String counts = r.failures() + " origin failures of " + r.rays() + " requests (" + codes(r.codes()) + ")";
    return switch (event) {
      case OPENED -> head + " opened at " + r.started() + ": " + counts
          + (r.origins().isEmpty() ? "" : " from " + String.join(", ", r.origins()))
          + ". The doctor is examining it." + changes(r);
      case VERDICT -> head + ": " + run(r.diagnosis());
      default -> head + " closed at " + r.ended() + " after " + length(r) + ": " + counts + ". "
          + "When it closed: " + run(r.closingDiagnosis());
    };
  }

  private static String run(IncidentRecord.DoctorRun d) {
    if (d == null) return "the doctor has not run.";
    if (d.skipped() != null) return "the doctor did not run (" + d.skipped() + ").";
    return "*" + d.verdict() + "* [" + d.confidence() + " confidence, " + d.cause() + "]. Evidence: " + d.evidence()
        + ". Where to fix: " + d.whereToFix() + ".";
  }

  private static String changes(IncidentRecord r) {
    if (r.changes().isEmpty()) return "";
    return " Changed since the last good minute: "
        + r.changes().stream().map(c -> c.what() + " (" + c.time() + ")").collect(Collectors.joining("; ")) + ".";
  }

  private static String codes(Map<String, Long> codes) {
    return codes.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
  }

  private static String length(IncidentRecord r) {
    Duration d = Duration.between(Instant.parse(r.started()), Instant.parse(r.ended()));
    long m = d.toMinutes();
    long s = d.toSecondsPart();
    return m == 0 ? s + " s" : m + " min " + s + " s";
  }
}
