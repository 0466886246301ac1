package io.edgeray.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * On the origin host: the tail of the usual web server error logs, searched for the lines that
 * explain refusals and timeouts: worker and connection limits, file-descriptor limits, failed binds.
 */
final class ErrorLogsCheck {
  static final String ID = "error_logs";
  static final String TITLE = "Web server error logs";
  static final List<Path> USUAL = List.of(Path.of("/var/log/nginx/error.log"), Path.of("/var/log/apache2/error.log"),
      Path.of("/var/log/httpd/error_log"), Path.of("/usr/local/lsws/logs/error.log"), Path.of("/var/log/caddy/caddy.log"));
  private static final long TAIL_BYTES = 256 * 1024;
  private static final int LINES_SHOWN = 5;
  /** Words that name a limit or a failed start, from nginx, Apache, LiteSpeed, Caddy and PHP-FPM. */
  private static final Pattern LIMITS = Pattern.compile("(?i)worker_connections are not enough|too many open files"
      + "|MaxRequestWorkers|server reached|max_children|bind\\(\\) to .* failed|address already in use|could not bind"
      + "|connection refused|no live upstreams|upstream timed out|out of memory|cannot allocate memory");

  /** @param limitLines matching lines, newest last */
  record Result(List<String> limitLines, CheckResult check) {}

  private ErrorLogsCheck() {}

  static Result run(List<Path> logs) {
    List<String> evidence = new ArrayList<>();
    List<String> hits = new ArrayList<>();
    int read = 0;
    for (Path log : logs) {
      if (!Files.isReadable(log)) continue;
      read++;
      try {
        List<String> matching = LogTail.lines(log, TAIL_BYTES).stream().filter(l -> LIMITS.matcher(l).find()).toList();
        evidence.add(log + ": " + matching.size() + " line(s) about limits or refusals in the last " + TAIL_BYTES / 1024 + " KiB");
        matching.subList(Math.max(0, matching.size() - LINES_SHOWN), matching.size()).forEach(l -> hits.add(log.getFileName() + ": " + l));
      } catch (IOException e) {
        evidence.add(log + ": cannot read: " + e.getMessage());
      }
    }
    if (read == 0) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, "none of the usual error logs exists or can be read: " + logs));
    }
    evidence.addAll(hits);
    return new Result(hits, new CheckResult(ID, TITLE, hits.isEmpty() ? Outcome.PASSED : Outcome.WARNING,
        hits.isEmpty() ? "no limit or refusal in " + read + " error log(s)" : hits.size() + " recent line(s) about limits or refusals",
        evidence, 0));
  }

}
