package io.edgeray.admin;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** audit.jsonl beside the access log, and GET /api/audit. */
class AuditTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  @TempDir Path dir;

  @Test
  void aChangeIsOneLineWithTheTokensNameTheAddressAndWhatWasAskedAndARefusalToo() throws Exception {
    edge.start(AdminTokens.yaml(), zone("shop.example", "origin_ports: { http: 9 }"));
    AdminClient ci = edge.admin().as(AdminTokens.EDIT);
    assertThat(ci.post("/api/zones/shop.example/purge", "{\"everything\": true}").status()).isEqualTo(200);
    assertThat(ci.post("/api/zones/shop.example/purge", "{\"file\": [\"/x\"]}").status()).isEqualTo(400);
    assertThat(edge.admin().as(AdminTokens.READ).post("/reload", "").status()).isEqualTo(403); // never got in: not a change

    Path file = edge.dir().resolve("audit.jsonl");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("token").asText()).isEqualTo("ci");
    assertThat(first.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(first.get("method").asText()).isEqualTo("POST");
    assertThat(first.get("path").asText()).isEqualTo("/api/zones/shop.example/purge");
    assertThat(first.get("change").toString()).isEqualTo("{\"everything\":true}");
    assertThat(first.get("result").asText()).isEqualTo("ok");
    assertThat(first.get("status").asInt()).isEqualTo(200);
    assertThat(first.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    JsonNode second = new ObjectMapper().readTree(lines.get(1));
    assertThat(second.get("result").asText()).isEqualTo("refused");
    assertThat(second.get("status").asInt()).isEqualTo(400);

    JsonNode listed = edge.admin().as(AdminTokens.READ).get("/api/audit?limit=1").json();
    assertThat(listed.get("entries")).hasSize(1);
    assertThat(listed.get("entries").get(0).get("status").asInt()).isEqualTo(400); // newest first
    assertThat(edge.admin().as(AdminTokens.READ).get("/api/audit?limit=0").errorCode()).isEqualTo("bad_query");
  }

  @Test
  void theLatestEntriesAreReadBackAfterARestartNewestFirst() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = new AuditLog(file)) {
      log.append(new AuditLog.Entry("2026-12-01T10:00:00Z", "ci", "127.0.0.1", "POST", "/reload", null, "ok", 200));
      log.append(new AuditLog.Entry("2026-12-01T10:01:00Z", "ci", "127.0.0.1", "POST", "/reload", TextNode.valueOf("again"), "ok", 200));
    }
    Files.writeString(file, Files.readString(file) + "{\"time\": \"cut sh", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    try (AuditLog log = new AuditLog(file)) {
      assertThat(log.latest(10)).extracting(AuditLog.Entry::time).containsExactly("2026-12-01T10:01:00Z", "2026-12-01T10:00:00Z");
    }
  }
}
