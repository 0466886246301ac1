package io.edgeray.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * {@link Instant#toString()} for the access log, written as a JSON string without building the
 * date for every line: the text of the current second is kept, only the fraction changes. The
 * fraction follows {@code DateTimeFormatter.ISO_INSTANT}: none, or 3, 6 or 9 digits, as needed.
 * One per writer thread.
 */
final class InstantText {
  private final char[] text = new char[48];
  private long second = Long.MIN_VALUE;
  private int secondLength;

  void write(Instant t, JsonGenerator g) throws IOException {
    g.writeString(text, 0, format(t));
  }

  /** Fills the buffer with the text of {@code t}; returns its length. */
  int format(Instant t) {
    if (t.getEpochSecond() != second) {
      String s = Instant.ofEpochSecond(t.getEpochSecond()).toString(); // "...T13:00:35Z"
      secondLength = s.length() - 1;
      s.getChars(0, secondLength, text, 0);
      second = t.getEpochSecond();
    }
    int n = secondLength;
    int nano = t.getNano();
    if (nano != 0) {
      text[n++] = '.';
      int digits;
      int value;
      if (nano % 1_000_000 == 0) {
        digits = 3;
        value = nano / 1_000_000;
      } else if (nano % 1_000 == 0) {
        digits = 6;
        value = nano / 1_000;
      } else {
        digits = 9;
        value = nano;
      }
      for (int i = n + digits - 1; i >= n; i--) {
        text[i] = (char) ('0' + value % 10);
        value /= 10;
      }
      n += digits;
    }
    text[n++] = 'Z';
    return n;
  }

  String toString(Instant t) {
    return new String(text, 0, format(t));
  }
}
