package io.edgeray.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real tool (dig, nft, nginx) from a test. Tests skip with an assumption when the tool is
 * absent, so a developer without it still gets a green build and CI, which installs it, runs all.
 */
public final class ExternalCommand {
  private ExternalCommand() {}

  public record Result(int exitCode, String output) {}

  /** The tool on PATH, or in the sbin folders that a non-root PATH leaves out. */
  public static Optional<Path> find(String name) {
    List<String> folders = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    folders.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    return folders.stream().filter(f -> !f.isEmpty()).map(f -> Path.of(f, name))
        .filter(Files::isExecutable).findFirst();
  }

  /** Runs the command with stdout and stderr together; kills it if it outlives the timeout. */
  public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("edgeray-command", ".out"); // a file: a pipe could fill and stall the tool
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
