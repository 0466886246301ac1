package io.edgeray.doctor;

import static io.edgeray.testing.AdminCalls.json;
import static io.edgeray.testing.AdminCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.AdminCalls;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FullBacklogListener;
import io.edgeray.testing.Ports;
import java.net.http.HttpResponse;
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

      HttpResponse<String> r = post(edge, "/api/doctor", "{\"host\": \"shop.example\"}");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode report = json(r);
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
      CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(() -> call("{\"host\": \"shop.example\"}"));
      CompletableFuture<HttpResponse<String>> two = CompletableFuture.supplyAsync(() -> call("{\"host\": \"http://shop.example/\"}"));

      JsonNode a = json(one.get(20, TimeUnit.SECONDS));
      JsonNode b = json(two.get(20, TimeUnit.SECONDS));

      assertThat(a.get("started").asText()).isEqualTo(b.get("started").asText());
      assertThat(a.get("millis").asLong()).isEqualTo(b.get("millis").asLong()).isGreaterThanOrEqualTo(DoctorScenario.PROBE_TIMEOUT.toMillis());
      assertThat(a.at("/verdict/symptom").asText()).isEqualTo("522");
    }
  }

  @Test
  void aHostNoZoneServesIs422AndABodyWithoutHostIs400() throws Exception {
    try (DoctorScenario s = DoctorScenario.of(edge, dir, LoopbackScenariosTest.zone(Ports.closedPort(), Ports.closedPort(), "127.0.0.1", ""))
        .with("admin: 127.0.0.1:0").withEdge()) {
      HttpResponse<String> other = post(edge, "/api/doctor", "{\"host\": \"other.example\"}");
      assertThat(other.statusCode()).isEqualTo(422);
      assertThat(other.body()).isEqualTo("{\"error\":{\"code\":\"host_not_served\","
          + "\"message\":\"no zone of this edge serves other.example\",\"field\":\"host\"}}");

      HttpResponse<String> none = post(edge, "/api/doctor", "{}");
      assertThat(none.statusCode()).isEqualTo(400);
      assertThat(json(none).at("/error/field").asText()).isEqualTo("host");

      assertThat(AdminCalls.get(edge, "/api/doctor").statusCode()).isEqualTo(405);
    }
  }

  private HttpResponse<String> call(String body) {
    try {
      return post(edge, "/api/doctor", body);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
