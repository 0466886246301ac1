package io.edgeray.doctor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * On the origin host: load against cores, available memory, free disk, and open connections on
 * the web ports against the kernel's cap on the listen backlog. An exhausted host accepts slowly
 * or not at all: the edge sees 522 or 524.
 */
final class ResourcesCheck {
  static final String ID = "resources";
  static final String TITLE = "Resources";
  private static final double LOAD_PER_CORE_LIMIT = 2.0;
  private static final double LOW_FRACTION = 0.05;

  record Result(boolean exhausted, CheckResult check) {}

  private ResourcesCheck() {}

  static Result run(Path proc, List<Integer> ports) {
    if (!Files.isReadable(proc.resolve("loadavg"))) {
      return new Result(false, CheckResult.skipped(ID, TITLE, proc + "/loadavg cannot be read (not Linux?)"));
    }
    List<String> evidence = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      int cores = Runtime.getRuntime().availableProcessors();
      double load = Double.parseDouble(Files.readString(proc.resolve("loadavg")).trim().split("\\s+")[0]);
      evidence.add(String.format(Locale.ROOT, "load %.2f on %d cores", load, cores));
      if (load > cores * LOAD_PER_CORE_LIMIT) problems.add(String.format(Locale.ROOT, "load %.2f is over %.0f per core", load, LOAD_PER_CORE_LIMIT));
      long total = meminfo(proc, "MemTotal");
      long available = meminfo(proc, "MemAvailable");
      if (total > 0 && available >= 0) {
        evidence.add(String.format(Locale.ROOT, "memory available %d MiB of %d MiB", available / 1024, total / 1024));
        if (available < total * LOW_FRACTION) problems.add("less than 5% of memory is available");
      }
      for (String dir : List.of("/", "/var/log")) {
        File f = new File(dir);
        if (!f.exists() || f.getTotalSpace() == 0) continue;
        evidence.add(String.format(Locale.ROOT, "disk %s: %d MiB free of %d MiB", dir, f.getUsableSpace() >> 20, f.getTotalSpace() >> 20));
        if (f.getUsableSpace() < f.getTotalSpace() * LOW_FRACTION) problems.add("disk " + dir + " is over 95% full");
      }
      Path somaxconn = proc.resolve("sys/net/core/somaxconn");
      String cap = Files.isReadable(somaxconn) ? Files.readString(somaxconn).trim() : "?";
      for (int port : ports) {
        evidence.add("port " + port + ": " + ListeningSockets.established(proc.resolve("net"), port)
            + " open connections; listen backlog capped at " + cap + " (net.core.somaxconn)");
      }
    } catch (IOException | RuntimeException e) {
      evidence.add("could not read everything: " + e);
      if (problems.isEmpty()) {
        // what was not read cannot be called within limits
        return new Result(false, new CheckResult(ID, TITLE, Outcome.WARNING, "could not read everything: " + e, evidence, 0));
      }
    }
    String summary = problems.isEmpty() ? "load, memory and disk are within limits" : String.join("; ", problems);
    return new Result(!problems.isEmpty(), new CheckResult(ID, TITLE, problems.isEmpty() ? Outcome.PASSED : Outcome.PROBLEM,
        summary, evidence, 0));
  }

  private static long meminfo(Path proc, String key) throws IOException {
    Path p = proc.resolve("meminfo");
    if (!Files.isReadable(p)) return -1;
    for (String line : Files.readAllLines(p)) {
      if (line.startsWith(key + ":")) return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
    }
    return -1;
  }
}
