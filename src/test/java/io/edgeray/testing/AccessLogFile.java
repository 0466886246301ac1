package io.edgeray.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** An edge's access-log file, read back by tests: the log writer batches, so a line may come late. */
public final class AccessLogFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);

  private AccessLogFile() {}

  /** The line of {@code ray}, waiting up to 5 s for the writer; fails the test when it never comes. */
  public static JsonNode lineOf(Path log, String ray) throws Exception {
    String key = "\"ray\":\"" + ray + "\"";
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      if (Files.exists(log)) {
        byte[] bytes = Files.readAllBytes(log);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') end--; // only whole lines: the writer may be half way through the last one
        for (String l : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
          if (l.contains(key)) return JSON.readTree(l);
        }
      }
      if (System.nanoTime() > deadline) throw new AssertionError("no access-log line for ray " + ray + " in " + log);
      Thread.sleep(20);
    }
  }
}
