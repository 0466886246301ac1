package io.edgeray.doctor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * On the origin host: load against cores, available memory, free disk, open connections on the
 * web ports, and each web listener's accept queue against its own backlog (from ss, else the
 * kernel's cap). An exhausted host accepts slowly or not at all: the edge sees 522 or 524.
 */
final class ResourcesCheck {
  static final String ID = "resources";
  static final String TITLE = "Resources";
  private static final double LOAD_PER_CORE_LIMIT = 2.0;
  private static final double LOW_FRACTION = 0.05;

  record Result(boolean exhausted, CheckResult check) {}

  private ResourcesCheck() {}

  /** @param backlogs each listener's own backlog from {@code ss -ltn}; empty when ss is absent */
  static Result run(Path proc, List<Integer> ports, Optional<List<ListenBacklogs.Entry>> backlogs) {
    if (!Files.isReadable(proc.resolve("loadavg"))) {
      return new Result(false, CheckResult.skipped(ID, TITLE, proc + "/loadavg cannot be read (not Linux?)"));
    }
    List<String> evidence = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      int cores = Runtime.getRuntime().availableProcessors();
      double load = Double.parseDouble(ProcFile.read(proc.resolve("loadavg")).trim().split("\\s+")[0]);
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
      String cap = Files.isReadable(somaxconn) ? ProcFile.read(somaxconn).trim() : "?";
      evidence.add("net.core.somaxconn is " + cap + " (the cap on every listen backlog)");
      List<ListeningSockets.Listener> listeners = ListeningSockets.available(proc.resolve("net"))
          ? ListeningSockets.read(proc.resolve("net")) : List.of();
      for (int port : ports) {
        evidence.add("port " + port + ": " + ListeningSockets.established(proc.resolve("net"), port) + " open connections");
        for (ListeningSockets.Listener l : listeners.stream().filter(l -> l.port() == port).toList()) {
          backlog(l, backlogs, cap, evidence, problems);
        }
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

  /**
   * One listener's accept queue against its own backlog (ss), or against the system cap when ss is
   * absent: a queue at its backlog drops new SYNs, the 522 of an overloaded origin.
   */
  private static void backlog(ListeningSockets.Listener l, Optional<List<ListenBacklogs.Entry>> backlogs, String cap,
      List<String> evidence, List<String> problems) {
    Optional<ListenBacklogs.Entry> own = backlogs.flatMap(b -> b.stream().filter(e -> e.matches(l)).findFirst());
    if (own.isEmpty()) {
      evidence.add(l.where() + ": " + l.queued() + " connection(s) waiting to be accepted; its own backlog is not known"
          + (backlogs.isEmpty() ? " without ss" : " (ss does not list it)") + ", the system cap is " + cap);
      return;
    }
    int backlog = own.get().backlog();
    boolean full = l.queued() > 0 && l.queued() >= backlog;
    evidence.add(l.where() + ": " + l.queued() + " connection(s) waiting to be accepted of a backlog of " + backlog + " (ss -ltn)"
        + (full ? ": the accept queue is full" : ""));
    if (full) problems.add("the accept queue of " + l.where() + " is full (" + l.queued() + " waiting, backlog " + backlog + ")");
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
