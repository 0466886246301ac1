package io.edgeray.analytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;

/**
 * A minute (or a step of minutes) as JSON: {@code {t, total, by_class, by_code, by_origin}}, only
 * the counts that are not zero. The API's points and the lines of the analytics file are the same
 * object, so one reader and one writer serve both.
 */
final class PointJson {
  static final JsonFactory JSON = new JsonFactory();

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

  /**
   * A line written by {@link #writeLine}; IllegalArgumentException when it is not one (a torn last
   * line). Read with the streaming parser: the file is read before the listeners are bound, and
   * Jackson's object mapper would add its own start-up (a twentieth of a second on one core) there.
   */
  static MinuteCounts read(String line) {
    Instant t = null;
    long total = -1;
    long[] counts = new long[Slots.SIZE];
    Map<String, long[]> origins = new TreeMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "t" -> t = value == JsonToken.VALUE_STRING ? Instant.parse(p.getText()) : null;
          case "total" -> total = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "by_class" -> counts(p, value, (name, n) -> {
            int slot = name.length() == 3 && name.endsWith("xx") ? Slots.ofStatus((name.charAt(0) - '0') * 100) : -1;
            if (slot >= 0) counts[slot] = n;
          });
          case "by_code" -> counts(p, value, (name, n) -> {
            int slot = isNumber(name) ? Slots.ofCode(Integer.parseInt(name)) : -1;
            if (slot >= 0) counts[slot] = n;
          });
          case "by_origin" -> origins(p, value, origins);
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("t is not a time: " + e.getMessage());
    }
    if (t == null || total < 0) throw new IllegalArgumentException("no t and total");
    counts[Slots.TOTAL] = total;
    return new MinuteCounts(t.getEpochSecond() / 60, counts, origins);
  }

  /** The numbers of an object of counts, by name; anything else in it is skipped. */
  private static void counts(JsonParser p, JsonToken value, ObjLongConsumer<String> into) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() == JsonToken.VALUE_NUMBER_INT) into.accept(name, p.getLongValue()); else p.skipChildren();
    }
  }

  private static void origins(JsonParser p, JsonToken value, Map<String, long[]> into) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String origin = p.currentName();
      long[] totalAndErrors = new long[2];
      counts(p, p.nextToken(), (name, n) -> {
        if (name.equals("total")) totalAndErrors[0] = n;
        if (name.equals("errors")) totalAndErrors[1] = n;
      });
      into.put(origin, totalAndErrors);
    }
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 3) return false;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }
}
