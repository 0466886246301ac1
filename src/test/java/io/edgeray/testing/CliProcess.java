package io.edgeray.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One {@code edgeray} command run as its own JVM, from a chosen working directory, with this test run's class path. */
public record CliProcess(int code, String out, String err) {

  public static CliProcess run(Path workingDirectory, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(start(jvmOptions));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
    pb.environment().remove("EDGERAY_HOME");
    Process p = pb.start();
    p.getOutputStream().close();
    var out = p.getInputStream();
    var err = p.getErrorStream();
    // both pipes are small for these commands; read them after the exit, bounded in time
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("edgeray " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new CliProcess(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8),
        new String(err.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** {@code java [options] -cp CLASSPATH io.edgeray.cli.Main}: append the arguments. */
  public static List<String> start(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.edgeray.cli.Main");
    return command;
  }
}
