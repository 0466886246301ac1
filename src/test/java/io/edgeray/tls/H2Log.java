package io.edgeray.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines an edge's access log gained during one scenario. A refused stream may have no ray id
 * the visitor could see, so a scenario is closed by a sentinel request: once the sentinel's line is
 * written, every line of the scenario before it is too (the log keeps the order rays finished in,
 * and the sentinel starts only after the scenario's answer arrived).
 */
final class H2Log {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final int mark;

  private H2Log(Path file, int mark) {
    this.file = file;
    this.mark = mark;
  }

  /**
   * Marks the start of a scenario after the line of a sentinel request already sent (to
   * {@code sentinelPath}): lines of earlier scenarios still being written then come before it.
   */
  static H2Log markAfter(Path file, String sentinelPath) {
    int[] at = new int[1];
    Await.until(Duration.ofSeconds(10), () -> {
      List<String> all = lines(file);
      for (int i = all.size() - 1; i >= 0; i--) {
        JsonNode n = read(all.get(i));
        if (n != null && sentinelPath.equals(n.path("path").asText())) {
          at[0] = i + 1;
          return true;
        }
      }
      return false;
    }, "the sentinel's log line " + sentinelPath);
    return new H2Log(file, at[0]);
  }

  /** The scenario's lines: waits for the line of the sentinel ray (a request to {@code sentinelPath}), then returns those before it. */
  List<JsonNode> linesBefore(String sentinelPath) {
    List<JsonNode> found = new ArrayList<>();
    Await.until(Duration.ofSeconds(10), () -> {
      found.clear();
      List<String> all = lines(file);
      for (String l : all.subList(Math.min(mark, all.size()), all.size())) {
        JsonNode n = read(l);
        if (n == null) return false; // a line still being written
        if (sentinelPath.equals(n.path("path").asText())) return true;
        found.add(n);
      }
      return false;
    }, "the sentinel's log line " + sentinelPath);
    return found;
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
