package io.edgeray.doctor;

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
 * A tool of the origin host (nft, iptables-save, ufw, fail2ban-client, systemctl) run for what it
 * prints. An absent tool is empty, so the check that wanted it reports "skipped", never "passed".
 */
final class HostTool {
  /** What the tool printed (stdout and stderr together) and how it exited. */
  record Output(int exitCode, String text) {}

  private HostTool() {}

  static Optional<Path> find(String name) {
    List<String> folders = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    folders.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin")); // a non-root PATH lacks sbin
    return folders.stream().filter(f -> !f.isEmpty()).map(f -> Path.of(f, name)).filter(Files::isExecutable).findFirst();
  }

  /** Runs {@code name args...}; empty when the tool is not installed. A tool that hangs is killed at the timeout. */
  static Optional<Output> run(Duration timeout, String name, String... args) {
    Optional<Path> tool = find(name);
    if (tool.isEmpty()) return Optional.empty();
    List<String> cmd = new ArrayList<>();
    cmd.add(tool.get().toString());
    cmd.addAll(Arrays.asList(args));
    Path out = null;
    try {
      out = Files.createTempFile("edgeray-doctor", ".out"); // a file, not a pipe: a chatty tool cannot stall on it
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
        return Optional.of(new Output(-1, String.join(" ", cmd) + " did not finish within " + timeout.toMillis() + " ms"));
      }
      return Optional.of(new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.of(new Output(-1, "could not run " + String.join(" ", cmd) + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Output(-1, "interrupted"));
    } finally {
      if (out != null) out.toFile().delete();
    }
  }
}
