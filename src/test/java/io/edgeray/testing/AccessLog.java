package io.edgeray.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An edge's access log (one JSON line per ray) read back by a test. The log writer batches, so a
 * line may come late: every read here waits for what it needs, up to a bounded timeout, and fails
 * the test by name when it never comes.
 */
public final class AccessLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a ray's line may take to appear. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final Path file;

  public AccessLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The line of {@code ray}, waiting for the writer; AssertionError when it never comes. */
  public JsonNode line(String ray) {
    if (ray == null) throw new AssertionError("no ray id to look up (the response had no Edge-Ray header)");
    JsonNode[] found = new JsonNode[1];
    Await.until(WAIT, () -> {
      for (JsonNode l : read()) {
        if (ray.equals(l.path("ray").asText())) {
          found[0] = l;
          return true;
        }
      }
      return false;
    }, "the access-log line of ray " + ray + " in " + file);
    return found[0];
  }

  /** Every line, once at least {@code n} have been written. */
  public List<JsonNode> lines(int n) {
    Await.until(WAIT, () -> read().size() >= n, n + " access-log lines in " + file);
    return read();
  }

  /** The lines written so far, without waiting. */
  public List<JsonNode> read() {
    if (!Files.exists(file)) return List.of();
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
  public static List<String> attempts(JsonNode line) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : line.get("attempts")) {
      out.add(a.get("origin").asText() + "=" + (a.get("failure").isNull() ? "ok" : a.get("failure").asText()));
    }
    return out;
  }
}
