package io.edgeray.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The report for tools: field names are a public interface, like the access log's. */
final class JsonReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  static String render(Report r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("host", r.host());
    root.put("node", r.node());
    root.put("started", r.started().toString());
    root.put("millis", r.millis());
    root.put("exit_code", r.exitCode());
    root.put("mode", r.onOriginHost() ? "local" : "edge");
    root.set("verdict", finding(r.verdict()));
    root.put("failure", r.failure() == null ? null : r.failure().name());
    root.put("code", r.failure() == null ? null : r.failure().code());
    ArrayNode findings = root.putArray("findings");
    r.findings().forEach(f -> findings.add(finding(f)));
    ArrayNode checks = root.putArray("checks");
    for (CheckResult c : r.checks()) {
      ObjectNode n = checks.addObject();
      n.put("id", c.id());
      n.put("title", c.title());
      n.put("outcome", c.outcome().word());
      n.put("summary", c.summary());
      n.put("millis", c.millis());
      ArrayNode e = n.putArray("evidence");
      c.evidence().forEach(e::add);
    }
    ArrayNode steps = root.putArray("next_steps");
    r.nextSteps().forEach(steps::add);
    ArrayNode rays = root.putArray("rays");
    r.rays().forEach(rays::add);
    root.put("support_message", SupportMessage.render(r));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of strings and numbers always serializes
    }
  }

  private static ObjectNode finding(Finding f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("cause", f.cause().id());
    n.put("verdict", f.cause().verdict());
    n.put("confidence", f.confidence().word());
    n.put("evidence", f.evidence());
    n.put("symptom", f.cause().symptom());
    n.put("where_to_fix", f.cause().whereToFix());
    return n;
  }
}
