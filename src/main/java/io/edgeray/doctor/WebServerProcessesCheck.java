package io.edgeray.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * On the origin host: which web server processes run (from /proc/PID/comm), and where systemd
 * manages them, the state of their units (a failed unit says the server crashed or would not start).
 */
final class WebServerProcessesCheck {
  static final String ID = "processes";
  static final String TITLE = "Web server processes and units";
  private static final List<String> NAMES = List.of("nginx", "apache2", "httpd", "litespeed", "lshttpd", "openlitespeed",
      "caddy", "php-fpm");
  private static final String[] UNIT_PATTERNS = {"nginx*", "apache2*", "httpd*", "lsws*", "lshttpd*", "caddy*", "php*-fpm*"};

  /** @param running process name to count; {@code failedUnits} units systemd reports as failed */
  record Result(Map<String, Integer> running, List<String> failedUnits, CheckResult check) {}

  private WebServerProcessesCheck() {}

  static Result run(Path proc, Duration timeout) {
    Map<String, Integer> running = new TreeMap<>();
    try (Stream<Path> pids = Files.list(proc)) {
      for (Path pid : pids.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        String comm;
        try {
          comm = ProcFile.read(pid.resolve("comm")).trim();
        } catch (IOException e) {
          continue; // the process ended while we looked
        }
        for (String n : NAMES) {
          if (comm.startsWith(n)) running.merge(comm, 1, Integer::sum);
        }
      }
    } catch (IOException e) {
      return new Result(Map.of(), List.of(), CheckResult.skipped(ID, TITLE, "cannot list " + proc + ": " + e.getMessage()));
    }
    List<String> evidence = new ArrayList<>();
    running.forEach((name, count) -> evidence.add(count + " process(es) " + name));
    List<String> failed = new ArrayList<>();
    if (Files.isDirectory(Path.of("/run/systemd/system"))) {
      List<String> args = new ArrayList<>(List.of("list-units", "--type=service", "--all", "--no-legend", "--plain", "--no-pager"));
      args.addAll(List.of(UNIT_PATTERNS));
      HostTool.run(timeout, "systemctl", args.toArray(String[]::new)).ifPresentOrElse(out -> {
        if (out.exitCode() != 0) { // its message is not a unit list
          evidence.add("systemctl: exit " + out.exitCode() + ": " + out.text().strip().lines().findFirst().orElse(""));
          return;
        }
        for (String line : out.text().lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
          String[] f = line.split("\\s+");
          if (f.length >= 4) {
            evidence.add("unit " + f[0] + ": " + f[2] + " (" + f[3] + ")");
            if (f[2].equals("failed")) failed.add(f[0]);
          }
        }
      }, () -> evidence.add("systemctl not found: unit states not read"));
    } else {
      evidence.add("no systemd on this host: unit states not read");
    }
    Outcome outcome = running.isEmpty() || !failed.isEmpty() ? Outcome.PROBLEM : Outcome.PASSED;
    String summary = running.isEmpty() ? "no web server process runs (looked for " + String.join(", ", NAMES) + ")"
        : "running: " + String.join(", ", running.keySet()) + (failed.isEmpty() ? "" : "; failed units: " + failed);
    return new Result(running, failed, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }
}
