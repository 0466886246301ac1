package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FullBacklogListener;
import io.edgeray.testing.Ports;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/doctor}: the CLI's doctor, run by the edge for the admin API, with the same verdict. */
class DoctorApiTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("DOC");
  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRefusingOriginGetsTheVerdictTheCommandLineDoctorGives() throws Exception {
    int http = Ports.closedPort();
    try (DoctorScenario s = DoctorScenario.of(edge, dir, LoopbackScenariosTest.zone(http, Ports.closedPort(), "127.0.0.1", ""))
        .with("admin: 127.0.0.1:0").withEdge()) {
      CliRun cli = CliRun.of("doctor", "--config", s.doctorConfig().toString(), "--format", "json", "shop.example");
      JsonNode fromCli = new ObjectMapper().readTree(cli.out());

      AdminClient.Response r = edge.admin().post("/api/doctor", "{\"host\": \"shop.example\"}");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("application/json");
      JsonNode report = r.json();
      assertThat(report.at("/verdict/cause").asText()).isEqualTo("web_server_down").isEqualTo(fromCli.at("/verdict/cause").asText());
      assertThat(report.at("/verdict/symptom").asText()).isEqualTo("521");
      assertThat(report.get("exit_code").asInt()).isEqualTo(1).isEqualTo(cli.code());
      assertThat(report.get("checks").findValuesAsText("id")).isEqualTo(fromCli.get("checks").findValuesAsText("id"));
      assertThat(report.at("/checks/1/summary").asText()).startsWith("521 Web server is down (CONNECTION_REFUSED), ray ");
      assertThat(report.get("support_message").asText()).startsWith("Subject: Origin problem for shop.example: ");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aSecondCallerWhileARunIsGoingGetsThatSameRun() throws Exception {
    try (FullBacklogListener full = FullBacklogListener.open(); // a black hole: the run takes the probe timeout
        DoctorScenario s = DoctorScenario.of(edge, dir, LoopbackScenariosTest.zone(full.port(), Ports.closedPort(), "127.0.0.1", ""))
            .with("admin: 127.0.0.1:0").withEdge()) {
      CompletableFuture<AdminClient.Response> one = CompletableFuture.supplyAsync(() -> call("{\"host\": \"shop.example\"}"));
      CompletableFuture<AdminClient.Response> two = CompletableFuture.supplyAsync(() -> call("{\"host\": \"http://shop.example/\"}"));

      JsonNode a = one.get(20, TimeUnit.SECONDS).json();
      JsonNode b = two.get(20, TimeUnit.SECONDS).json();

      assertThat(a.get("started").asText()).isEqualTo(b.get("started").asText());
      assertThat(a.get("millis").asLong()).isEqualTo(b.get("millis").asLong()).isGreaterThanOrEqualTo(DoctorScenario.PROBE_TIMEOUT.toMillis());
      assertThat(a.at("/verdict/symptom").asText()).isEqualTo("522");
    }
  }

  @Test
  void aHostNoZoneServesIs422AndABodyWithoutHostIs400() throws Exception {
    try (DoctorScenario s = DoctorScenario.of(edge, dir, LoopbackScenariosTest.zone(Ports.closedPort(), Ports.closedPort(), "127.0.0.1", ""))
        .with("admin: 127.0.0.1:0").withEdge()) {
      AdminClient.Response other = edge.admin().post("/api/doctor", "{\"host\": \"other.example\"}");
      assertThat(other.status()).isEqualTo(422);
      assertThat(other.body()).isEqualTo("{\"error\":{\"code\":\"host_not_served\","
          + "\"message\":\"no zone of this edge serves other.example\",\"field\":\"host\"}}");

      AdminClient.Response none = edge.admin().post("/api/doctor", "{}");
      assertThat(none.status()).isEqualTo(400);
      assertThat(none.json().at("/error/field").asText()).isEqualTo("host");

      assertThat(edge.admin().get("/api/doctor").status()).isEqualTo(405);
    }
  }

  private AdminClient.Response call(String body) {
    try {
      return edge.admin().post("/api/doctor", body);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
