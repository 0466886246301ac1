package io.edgeray.analytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.CharBuffer;

/**
 * The fields the ray index needs from one access-log line: ray, zone, status and failure, which
 * the access log writes first ({@code observe/AccessLogLine}), so the parse stops at "failure". The
 * ray and the zone are copied into buffers kept from line to line; a String is made only for a line
 * the index keeps as an error. Not thread-safe: one per read.
 */
final class LineFields {
  private static final JsonFactory JSON = new JsonFactory();

  private char[] ray = new char[64];
  private int rayLength;
  private char[] zone = new char[64];
  private int zoneLength; // -1: no zone
  private String lastZone = ""; // a log has few zones: the last one's String serves the next line of it
  private int status;
  private boolean failure;
  private boolean doctor;
  /** Lines parsed, whether they were ours or not. */
  int parsed;

  /** Parses a line's text; false when it is not a line with a ray. */
  boolean parse(byte[] bytes, int from, int length) {
    parsed++;
    rayLength = -1;
    zoneLength = -1;
    status = 0;
    failure = false;
    doctor = false;
    try (JsonParser p = JSON.createParser(bytes, from, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName(); // field names are canonical in the parser's table: no String a line
        JsonToken v = p.nextToken();
        switch (name) {
          case "ray" -> {
            if (v == JsonToken.VALUE_STRING) rayLength = copy(p, ray = room(ray, p.getTextLength()));
          }
          case "zone" -> {
            if (v == JsonToken.VALUE_STRING) zoneLength = copy(p, zone = room(zone, p.getTextLength()));
          }
          case "status" -> status = p.getValueAsInt();
          case "failure" -> failure = v != JsonToken.VALUE_NULL;
          default -> p.skipChildren();
        }
        if (name.equals("failure")) break;
      }
      // the doctor's own probes are logged late in the line ("doctor": true); only an error needs to know
      if (error()) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if (name.equals("doctor")) {
            doctor = v == JsonToken.VALUE_TRUE;
            break;
          }
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      return false; // not a line of ours
    }
    return rayLength >= 0;
  }

  long key() {
    return RayIndex.key(CharBuffer.wrap(ray, 0, rayLength));
  }

  /** A status of 500 or more, or a failure of the edge's. */
  boolean error() {
    return status >= 500 || failure;
  }

  /** The edge's own doctor sent it (known for error lines only). */
  boolean doctor() {
    return doctor;
  }

  String ray() {
    return new String(ray, 0, rayLength);
  }

  String zone() {
    if (zoneLength < 0) return null;
    if (lastZone.length() != zoneLength || !lastZone.contentEquals(CharBuffer.wrap(zone, 0, zoneLength))) {
      lastZone = new String(zone, 0, zoneLength);
    }
    return lastZone;
  }

  private static char[] room(char[] buf, int length) {
    return buf.length >= length ? buf : new char[Math.max(length, buf.length * 2)];
  }

  private static int copy(JsonParser p, char[] into) throws IOException {
    int n = p.getTextLength();
    System.arraycopy(p.getTextCharacters(), p.getTextOffset(), into, 0, n);
    return n;
  }
}
