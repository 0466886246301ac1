package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.CliRun;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeray doctor} on the command line: formats and exit codes (0 healthy, 1 problem, 2 could not run). */
class DoctorCommandTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().node("DOC");
  @TempDir Path dir;

  @Test
  void aBrokenConfigIsExitCode2WithTheFileAndLine() throws Exception {
    Path f = Files.writeString(dir.resolve("bad.yaml"), "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones:\n  - name: shop.example\n    timeouts: { connect: soon }\n");
    CliRun r = CliRun.of("doctor", "--config", f.toString(), "shop.example");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().trim()).isEqualTo("edgeray doctor: " + f
        + ":5: zones[0].timeouts.connect: \"soon\" is not a duration (write it as 500ms, 19s, 2m or 1h)");
  }

  @Test
  void aTargetThatIsNeitherHostNorHttpUrlIsExitCode2() throws Exception {
    CliRun r = CliRun.of("doctor", "--config", "config/edgeray.yaml", "ftp://shop.example/");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().trim()).isEqualTo("edgeray doctor: \"ftp://shop.example/\": only http:// and https:// URLs can be examined");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void eachFormatCarriesTheVerdictAndExitCode1ForAProblem() throws Exception {
    Path config = DoctorScenario.of(edge, dir, LoopbackScenariosTest.zone(Ports.closedPort(), Ports.closedPort(), "127.0.0.1", ""))
        .doctorConfig();

    CliRun text = CliRun.of("doctor", "--config", config.toString(), "--timeout", "1000", "http://shop.example/");
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out()).contains("VERDICT: the web server is not running, or not listening on the port  [high confidence]")
        .contains("SYMPTOM -> CAUSE -> WHERE TO FIX\n  521 -> the web server is not running, or not listening on the port"
            + " -> origin host: the web server service\n")
        .contains("SUPPORT MESSAGE (ready to send to the hosting provider)");

    CliRun md = CliRun.of("doctor", "--config", config.toString(), "--timeout", "1000", "--format", "markdown", "http://shop.example/");
    assertThat(md.code()).isEqualTo(1);
    assertThat(md.out()).startsWith("## edgeray doctor: shop.example\n")
        .contains("**Verdict: the web server is not running, or not listening on the port** (high confidence)")
        .contains("| symptom | cause | confidence | where to fix |");

    CliRun json = CliRun.of("doctor", "--config", config.toString(), "--timeout", "1000", "--format", "json", "http://shop.example/");
    assertThat(json.code()).isEqualTo(1);
    JsonNode j = new ObjectMapper().readTree(json.out());
    assertThat(j.get("exit_code").asInt()).isEqualTo(1);
    assertThat(j.at("/verdict/cause").asText()).isEqualTo("web_server_down");
    assertThat(j.at("/verdict/symptom").asText()).isEqualTo("521");
    assertThat(j.get("checks")).hasSize(7);
    assertThat(j.get("support_message").asText()).startsWith("Subject: Origin problem for shop.example: ");
  }
}
