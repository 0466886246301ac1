package io.edgeray.analytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minute (or a step of minutes) as JSON: {@code {t, total, by_class, by_code, by_origin}}, only
 * the counts that are not zero. The API's points and the lines of the analytics file are the same
 * object, so one reader and one writer serve both.
 */
final class PointJson {
  static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper();

  private PointJson() {}

  static void write(MinuteCounts c, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("t", Instant.ofEpochSecond(c.minute() * 60).toString());
    g.writeNumberField("total", c.total());
    g.writeObjectFieldStart("by_class");
    for (int s = 0; s < Slots.SIZE; s++) {
      if (Slots.isClass(s) && c.counts()[s] > 0) g.writeNumberField(Slots.className(s), c.counts()[s]);
    }
    g.writeEndObject();
    g.writeObjectFieldStart("by_code");
    for (int s = 0; s < Slots.SIZE; s++) {
      if (Slots.codeOf(s) > 0 && c.counts()[s] > 0) g.writeNumberField(Integer.toString(Slots.codeOf(s)), c.counts()[s]);
    }
    g.writeEndObject();
    g.writeObjectFieldStart("by_origin");
    for (Map.Entry<String, long[]> o : c.origins().entrySet()) {
      g.writeObjectFieldStart(o.getKey());
      g.writeNumberField("total", o.getValue()[0]);
      g.writeNumberField("errors", o.getValue()[1]);
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** One line of the analytics file. */
  static void writeLine(MinuteCounts c, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      write(c, g);
    }
    out.write('\n');
  }

  /** A line written by {@link #writeLine}; IllegalArgumentException when it is not one (a torn last line). */
  static MinuteCounts read(String line) {
    JsonNode n;
    try {
      n = READER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    if (n == null || !n.path("t").isTextual() || !n.path("total").canConvertToLong()) {
      throw new IllegalArgumentException("no t and total");
    }
    long minute = Instant.parse(n.get("t").asText()).getEpochSecond() / 60;
    long[] counts = new long[Slots.SIZE];
    counts[Slots.TOTAL] = n.get("total").asLong();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("by_class").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int s = e.getKey().length() == 3 && e.getKey().endsWith("xx") ? Slots.ofStatus((e.getKey().charAt(0) - '0') * 100) : -1;
      if (s >= 0) counts[s] = e.getValue().asLong();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("by_code").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int s;
      try {
        s = Slots.ofCode(Integer.parseInt(e.getKey()));
      } catch (NumberFormatException x) {
        s = -1;
      }
      if (s >= 0) counts[s] = e.getValue().asLong();
    }
    Map<String, long[]> origins = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("by_origin").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      origins.put(e.getKey(), new long[] {e.getValue().path("total").asLong(), e.getValue().path("errors").asLong()});
    }
    return new MinuteCounts(minute, counts, origins);
  }
}
