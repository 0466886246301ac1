package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSON values from an API body written as YAML for the owner's file: plain where that reads
 * back as the same string ({@code 127.0.0.1}, {@code full_strict}, {@code 10s}), double-quoted
 * otherwise. A JSON string literal is a valid YAML double-quoted scalar, so Jackson does the
 * escaping. Objects and lists become flow collections on one line, the way the README writes
 * records.
 */
final class YamlValues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  private static final Set<String> WORDS = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null", "~");

  private YamlValues() {}

  static String of(JsonNode v) {
    if (v.isObject()) {
      List<String> entries = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) entries.add(key(e.getKey()) + ": " + of(e.getValue()));
      return "{ " + String.join(", ", entries) + " }";
    }
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(i -> items.add(of(i)));
      return "[" + String.join(", ", items) + "]";
    }
    if (v.isNull()) return "null";
    if (v.isBoolean() || v.isNumber()) return v.asText();
    return string(v.asText());
  }

  static String string(String s) {
    if (PLAIN.matcher(s).matches() && !WORDS.contains(s.toLowerCase(Locale.ROOT))) return s;
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(String k) {
    return PLAIN.matcher(k).matches() ? k : string(k);
  }
}
