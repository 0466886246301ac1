package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.CliProcess;
import io.edgeray.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Issue 17, "Command line": help, durations, and where the default config is looked for. */
class CommandLineTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"serve", "check-config", "ips", "doctor", "cert", "cert self-signed", "self-test", "version"})
  void everySubcommandTakesHelpAndH(String command) {
    for (String flag : List.of("--help", "-h")) {
      List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
      args.add(flag);
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.code()).as(command + " " + flag).isZero();
      assertThat(r.out()).as(command + " " + flag).startsWith("Usage: edgeray " + command + " ");
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void theTopLevelHelpGivesTheDoctorsWholeFirstSentence() {
    CliRun r = CliRun.of("--help");
    String all = r.out().replaceAll("\\s+", " ");
    assertThat(all).contains("doctor Find out why a host's origin fails: records, a request through the edge, direct probes"
        + " of the origin, the edge's egress address against another source, TLS, and the access log; then a verdict and"
        + " a support message. incidents");
  }

  @Command(name = "t")
  static final class Timed implements Callable<Integer> {
    @Option(names = "--timeout", converter = DurationConverter.class)
    Duration timeout;

    @Override
    public Integer call() {
      System.out.println(timeout);
      return 0;
    }
  }

  @Test
  void aDurationOptionTakesUnitsAsTheConfigDoes() {
    Timed t = new Timed();
    new CommandLine(t).parseArgs("--timeout", "2s");
    assertThat(t.timeout).isEqualTo(Duration.ofSeconds(2));
    new CommandLine(t).parseArgs("--timeout", "250ms");
    assertThat(t.timeout).isEqualTo(Duration.ofMillis(250));
    java.io.StringWriter err = new java.io.StringWriter();
    int code = new CommandLine(new Timed()).setErr(new java.io.PrintWriter(err)).execute("--timeout", "2");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid value for option '--timeout': \"2\" is not a duration (write it as 500ms, 19s, 2m or 1h)");
  }

  @Test
  void runFromAnotherDirectoryTheDefaultConfigIsTheOneBesideTheInstall() throws Exception {
    Path install = Path.of("").toAbsolutePath();
    CliProcess r = CliProcess.run(dir, List.of("-Dedgeray.home=" + install), "ips");
    assertThat(r.err()).startsWith("edgeray ips: no egress is configured in " + install.resolve("config/edgeray.yaml") + ".");
    assertThat(r.code()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "ips", "doctor shop.example"})
  void aConfigThatCannotBeReadNamesThePathTriedAndExitsTwoInEveryCommand(String command) throws Exception {
    Path home = Files.createDirectories(dir.resolve("install"));
    CliProcess r = CliProcess.run(dir, List.of("-Dedgeray.home=" + home), command.split(" "));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read the config " + home.resolve("config/edgeray.yaml") + ": no such file");
    assertThat(r.err()).doesNotContain(":0:");
  }

  @Test
  void checkConfigOfAMissingFileExitsTwoAndAWrongOneExitsOne() throws Exception {
    CliRun missing = CliRun.of("check-config", dir.resolve("none.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().trim()).isEqualTo("edgeray: cannot read the config " + dir.resolve("none.yaml") + ": no such file");
    Files.writeString(dir.resolve("bad.yaml"), "node: AMS\n");
    assertThat(CliRun.of("check-config", dir.resolve("bad.yaml").toString()).code()).isEqualTo(1);
  }

  @Test
  void aListenAddressInUseIsNamedWithTheReasonInWords() throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, io.edgeray.testing.Ports.LOOPBACK)) {
      Path config = dir.resolve("edge.yaml");
      Files.writeString(config, "node: AMS\nlisten: { http: 127.0.0.1:" + busy.getLocalPort() + " }\naccess_log: \"-\"\nzones: []\n");
      CliRun r = CliRun.of("serve", "--config", config.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().trim()).isEqualTo("cannot start: 127.0.0.1:" + busy.getLocalPort()
          + " (listen.http) is already in use by another process");
    }
  }

  @Test
  void versionPrintsTheReleaseAndTheCommitItWasBuiltFrom() {
    CliRun r = CliRun.of("version");
    assertThat(r.code()).isZero();
    assertThat(r.out().trim()).matches("edgeray \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown), Java .+\\)");
    assertThat(r.out()).doesNotContain("edgeray dev");
  }

  @Test
  void certificatesAndLogsAreKeptOutOfGit() throws Exception {
    assertThat(Files.readAllLines(Path.of(".gitignore"))).contains("certs/", "logs/");
  }
}
