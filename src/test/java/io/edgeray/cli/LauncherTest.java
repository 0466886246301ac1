package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the first {@code ./edgeray} says what it is doing and roughly how long it takes, and
 * prints no colour codes. The launcher runs in a copy of the project with stand-ins for Maven and
 * Java on the PATH, so the test takes a second instead of a build.
 */
class LauncherTest {
  @TempDir Path dir;

  private Path stub(Path bin, String name, String body) throws Exception {
    Path f = bin.resolve(name);
    Files.writeString(f, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    return f;
  }

  @Test
  void theFirstRunSaysItBuildsAndMakesTheArchiveAndHowLongEachTakesWithoutColourCodes() throws Exception {
    Path project = Files.createDirectories(dir.resolve("edgeray"));
    Files.copy(Path.of("edgeray"), project.resolve("edgeray"));
    Files.createDirectories(project.resolve("src"));
    Files.writeString(project.resolve("pom.xml"), "<project/>\n");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    // Maven 3.8 writes colour resets even in quiet batch mode: the launcher must not pass them on
    stub(bin, "mvn", "printf '\\033[0m\\033[0m'\nmkdir -p \"" + project + "/target\"\ntouch \"" + project + "/target/edgeray.jar\"\n");
    stub(bin, "java", "for a in \"$@\"; do case $a in -XX:ArchiveClassesAtExit=*) touch \"${a#*=}\";; esac; done\necho \"java $*\"\n");

    ExternalCommand.Result r = ExternalCommand.run(Duration.ofSeconds(30), List.of("env", "PATH=" + bin + ":/usr/bin:/bin",
        project.resolve("edgeray").toString(), "version"));

    String out = r.output();
    assertThat(r.exitCode()).isZero();
    assertThat(out).doesNotContain("\u001b");
    assertThat(out).contains("edgeray: first run: building " + project + "/target/edgeray.jar with Maven"
        + " (about 30 s, more when Maven must download the libraries)...\n");
    assertThat(out).containsPattern("edgeray: built in \\d+ s\n");
    assertThat(out).contains("edgeray: making a class-data archive so that the edge starts faster (once per build, about 10 s)...\n");
    assertThat(out).containsPattern("edgeray: archive made in \\d+ s\n");
    assertThat(out).contains("-Dedgeray.home=" + project + " -jar " + project + "/target/edgeray.jar version");
  }

  @Test
  void aFailedBuildShowsMavensOutputWithoutColourCodes() throws Exception {
    Path project = Files.createDirectories(dir.resolve("edgeray"));
    Files.copy(Path.of("edgeray"), project.resolve("edgeray"));
    Files.createDirectories(project.resolve("src"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    stub(bin, "mvn", "printf '\\033[1;31m[ERROR]\\033[0m COMPILATION ERROR\\n'\nexit 1\n");

    ExternalCommand.Result r = ExternalCommand.run(Duration.ofSeconds(30), List.of("env", "PATH=" + bin + ":/usr/bin:/bin",
        project.resolve("edgeray").toString(), "version"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("[ERROR] COMPILATION ERROR\nedgeray: the build failed (the Maven output is above)\n");
    assertThat(r.output()).doesNotContain("\u001b");
  }
}
