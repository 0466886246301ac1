package io.edgeray.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstantTextTest {
  @Test
  void writesWhatInstantToStringWritesForEveryKindOfFraction() {
    InstantText text = new InstantText();
    long[] seconds = {0, 1_764_594_035L, 1_764_594_036L, 253_402_300_799L, 253_402_300_800L, -1};
    int[] nanos = {0, 1, 7_000, 120_000_000, 999_999_999, 123_456_000, 100, 5_000_000};
    for (long s : seconds) {
      for (int n : nanos) {
        Instant t = Instant.ofEpochSecond(s, n);
        assertEquals(t.toString(), text.toString(t), "instant " + s + "." + n);
      }
    }
  }

  @Test
  void aNewSecondReplacesTheKeptTextOfTheOldOne() {
    InstantText text = new InstantText();
    assertEquals("2025-12-01T13:00:35.250Z", text.toString(Instant.parse("2025-12-01T13:00:35.250Z")));
    assertEquals("2025-12-01T13:00:36Z", text.toString(Instant.parse("2025-12-01T13:00:36Z")));
    assertEquals("2025-12-01T13:00:36.000000001Z", text.toString(Instant.parse("2025-12-01T13:00:36.000000001Z")));
  }
}
