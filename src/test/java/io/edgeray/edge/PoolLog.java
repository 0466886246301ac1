package io.edgeray.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a test edge's access log as a whole, for tests that look at many rays at once. */
final class PoolLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PoolLog() {}

  /** Every line, once at least {@code n} have been written (waits up to 10 s). */
  static List<JsonNode> lines(Path log, int n) {
    Await.until(Duration.ofSeconds(10), () -> read(log).size() >= n, n + " access-log lines");
    return read(log);
  }

  private static List<JsonNode> read(Path log) {
    if (!Files.exists(log)) return List.of();
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String l : Files.readAllLines(log)) {
        if (l.isBlank()) continue;
        try {
          out.add(JSON.readTree(l));
        } catch (IOException partial) {
          // the writer is in the middle of this line; the next read sees it whole
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The origins a ray tried, with each one's failure: {@code 127.0.0.1:8001=CONNECTION_REFUSED}, {@code ...=ok}. */
  static List<String> attempts(JsonNode line) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : line.get("attempts")) {
      out.add(a.get("origin").asText() + "=" + (a.get("failure").isNull() ? "ok" : a.get("failure").asText()));
    }
    return out;
  }
}
