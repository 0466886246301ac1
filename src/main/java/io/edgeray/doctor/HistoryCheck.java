package io.edgeray.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Check 6, recent history: the host's 52x answers in the access log over the last hour, per origin
 * address and code, with first and last time seen and sample ray ids for the support message; and
 * the edge's own rules (firewall, IP access, rate limits) that refused the host's requests, with
 * their counts and top client addresses.
 * Only the log's tail is read, so a large log costs no more than a few megabytes.
 */
final class HistoryCheck {
  static final String ID = "history";
  static final String TITLE = "Recent history (access log, last hour)";
  private static final Duration WINDOW = Duration.ofHours(1);
  private static final long TAIL_BYTES = 8L << 20;
  private static final int SAMPLE_RAYS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One origin address and code: how often, when, and a few rays to quote. */
  record Group(String origin, int status, String failure, int count, Instant first, Instant last, List<String> rays) {}

  record Result(List<Group> groups, CheckResult check) {
    List<String> sampleRays() {
      return groups.stream().flatMap(g -> g.rays().stream()).limit(SAMPLE_RAYS).toList();
    }
  }

  private HistoryCheck() {}

  static Result run(String accessLog, Path configDir, String host, Clock clock) {
    if (accessLog == null || accessLog.equals("-")) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, "the access log goes to stdout (access_log: \"-\")"));
    }
    Path log = configDir == null ? Path.of(accessLog) : configDir.resolve(accessLog);
    if (!Files.isReadable(log)) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, log + " does not exist or cannot be read"));
    }
    Instant since = clock.instant().minus(WINDOW);
    Map<String, Group> groups = new LinkedHashMap<>();
    Map<String, RuleHits> rules = new LinkedHashMap<>();
    Map<Integer, RuleHits> staleBy = new java.util.TreeMap<>(); // the origin's failure code a stale copy hid
    int lines;
    try {
      List<String> tail = LogTail.lines(log, TAIL_BYTES);
      lines = tail.size();
      for (String line : tail) {
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          continue; // a line cut by the tail's start, or being written
        }
        int status = n.path("status").asInt();
        JsonNode security = n.path("security");
        boolean refusedByRule = "block".equals(security.path("action").asText());
        int hidden = n.path("cache").path("origin_status").asInt(0); // served stale instead of this failure
        if ((status < 520 || status > 530) && !refusedByRule && hidden == 0 || !host.equals(n.path("host").asText())) continue;
        // the doctor's own requests through the edge say nothing about what visitors saw
        if (OriginProbe.USER_AGENT.equals(n.path("user_agent").asText())) continue;
        Instant t;
        try {
          t = Instant.parse(n.path("time").asText());
        } catch (DateTimeParseException e) {
          continue;
        }
        if (t.isBefore(since)) continue;
        if (hidden != 0 && (status < 520 || status > 530)) {
          staleBy.computeIfAbsent(hidden, k -> new RuleHits()).add(n.path("client_ip").asText());
          continue;
        }
        if (refusedByRule) {
          String rule = security.path("rule").asText() + " (" + security.path("kind").asText() + ", " + status + ")";
          rules.computeIfAbsent(rule, k -> new RuleHits()).add(n.path("client_ip").asText());
          continue;
        }
        String origin = n.path("origin_addr").isNull() || n.path("origin_addr").isMissingNode() ? "-" : n.path("origin_addr").asText();
        String failure = n.path("failure").asText(null);
        groups.merge(origin + " " + status, new Group(origin, status, failure, 1, t, t, List.of(n.path("ray").asText())),
            HistoryCheck::add);
      }
    } catch (IOException e) {
      return new Result(List.of(), CheckResult.skipped(ID, TITLE, "cannot read " + log + ": " + e.getMessage()));
    }
    List<String> evidence = new ArrayList<>();
    for (Group g : groups.values()) {
      evidence.add(g.count() + " x " + g.status() + " (" + g.failure() + ") from origin " + g.origin() + ", first " + g.first().truncatedTo(ChronoUnit.SECONDS)
          + ", last " + g.last().truncatedTo(ChronoUnit.SECONDS) + ", rays " + g.rays());
    }
    int refused = 0;
    for (Map.Entry<String, RuleHits> r : rules.entrySet()) {
      refused += r.getValue().count;
      evidence.add("the edge's rule " + r.getKey() + " refused " + r.getValue().count + " requests; top clients "
          + r.getValue().top());
    }
    int stale = 0;
    for (Map.Entry<Integer, RuleHits> e : staleBy.entrySet()) {
      stale += e.getValue().count;
      evidence.add(e.getValue().visitors() + " visitors got stale copies because the origin answered " + e.getKey() + " ("
          + e.getValue().count + " requests; top clients " + e.getValue().top() + ")");
    }
    int total = groups.values().stream().mapToInt(Group::count).sum();
    String summary = total == 0 ? "no 52x for " + host + " in the last hour (" + lines + " log lines read)"
        : total + " answers 520-530 for " + host + " in the last hour";
    if (refused > 0) summary += "; the edge's own rules refused " + refused + " requests";
    if (stale > 0) summary += "; " + stale + " requests got stale copies because the origin failed";
    return new Result(List.copyOf(groups.values()),
        new CheckResult(ID, TITLE, total == 0 && refused == 0 && stale == 0 ? Outcome.PASSED : Outcome.WARNING, summary, evidence, 0));
  }

  /** How often one of the edge's rules refused the host's requests (or a stale copy hid a failure), and from which addresses. */
  private static final class RuleHits {
    private final Map<String, Integer> byClient = new LinkedHashMap<>();
    private int count;

    void add(String client) {
      count++;
      byClient.merge(client, 1, Integer::sum);
    }

    int visitors() {
      return byClient.size();
    }

    /** The three busiest client addresses, as "203.0.113.7 (12)". */
    String top() {
      return byClient.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
          .map(e -> e.getKey() + " (" + e.getValue() + ")").toList().toString();
    }
  }

  private static Group add(Group a, Group b) {
    List<String> rays = new ArrayList<>(a.rays());
    for (String r : b.rays()) if (rays.size() < SAMPLE_RAYS) rays.add(r);
    return new Group(a.origin(), a.status(), a.failure(), a.count() + b.count(),
        a.first().isBefore(b.first()) ? a.first() : b.first(), a.last().isAfter(b.last()) ? a.last() : b.last(), List.copyOf(rays));
  }

}
