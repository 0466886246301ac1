package io.edgeray.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeray.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: what someone installing edgeray on a server gets beside the code. */
class PackagingTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  @TempDir Path dir;

  @Test
  void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
    var analyze = ExternalCommand.find("systemd-analyze");
    assumeTrue(analyze.isPresent(), "systemd-analyze is not installed");
    // the unit names /opt/edgeray; point it at this checkout, whose launcher exists
    String unit = Files.readString(ROOT.resolve("packaging/edgeray.service")).replace("/opt/edgeray", ROOT.toString());
    Path copy = dir.resolve("edgeray.service");
    Files.writeString(copy, unit);
    ExternalCommand.Result r = ExternalCommand.run(Duration.ofSeconds(30), List.of(analyze.get().toString(), "verify", copy.toString()));
    assertThat(r.output()).as("systemd-analyze verify output").doesNotContain(copy.getFileName().toString());
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void theSystemdUnitReloadsWithSighupAndWaitsLongerThanTheDrain() throws Exception {
    String unit = Files.readString(ROOT.resolve("packaging/edgeray.service"));
    assertThat(unit).contains("ExecReload=/bin/kill -HUP $MAINPID", "KillSignal=SIGTERM", "TimeoutStopSec=45s");
  }

  @Test
  void theLogrotateExampleRotatesTheShippedAccessLogAndReloadsTheEdge() throws Exception {
    String rotate = Files.readString(ROOT.resolve("packaging/edgeray.logrotate"));
    assertThat(rotate).startsWith("# logrotate").contains("/opt/edgeray/logs/access.jsonl {", "postrotate",
        "systemctl reload edgeray").doesNotContain("copytruncate");
    assertThat(Files.readString(ROOT.resolve("config/edgeray.yaml"))).contains("access_log: ../logs/access.jsonl");
    var logrotate = ExternalCommand.find("logrotate");
    if (logrotate.isPresent()) { // a dry run parses it
      Path conf = dir.resolve("edgeray");
      Files.writeString(conf, rotate.replace("/opt/edgeray/logs", dir.toString()));
      ExternalCommand.Result r = ExternalCommand.run(Duration.ofSeconds(30),
          List.of(logrotate.get().toString(), "--debug", "--state", dir.resolve("state").toString(), conf.toString()));
      assertThat(r.output()).doesNotContain("error");
    }
  }

  @Test
  void theProjectCarriesTheApacheLicenseAndItsOwnDesignDocument() throws Exception {
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("(docs/design.md)").doesNotContain("../shared/DESIGN.md");
    assertThat(ROOT.resolve("docs/design.md")).exists();
  }

  @Test
  void ciInstallsApacheSoTheApacheLoadTestRuns() throws Exception {
    // ApacheLoadTest skips without an apache2 binary on the PATH and Debian's /usr/lib/apache2/modules
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("command -v apache2 >/dev/null || need+=(apache2)");
  }
}
