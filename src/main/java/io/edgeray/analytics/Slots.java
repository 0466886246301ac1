package io.edgeray.analytics;

import io.edgeray.failure.EdgeRefusal;
import io.edgeray.failure.OriginFailure;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Where each count of a minute lives in its array: the total, the five status classes, then one
 * slot per code an edge page can show (520…530 and the 1xxx refusals). The codes are the closed
 * sets of {@link OriginFailure} and {@link EdgeRefusal}, so a minute is a fixed-size array and
 * counting a ray never allocates.
 */
final class Slots {
  static final int TOTAL = 0;
  private static final int FIRST_CLASS = 1; // 1xx at 1 … 5xx at 5
  private static final int FIRST_CODE = 6;
  private static final int[] CODES;
  private static final int[] SLOT_OF_CODE = new int[2000];

  static {
    TreeSet<Integer> codes = new TreeSet<>();
    for (OriginFailure f : OriginFailure.values()) codes.add(f.code());
    for (EdgeRefusal r : EdgeRefusal.values()) codes.add(r.code());
    CODES = codes.stream().mapToInt(Integer::intValue).toArray();
    Arrays.fill(SLOT_OF_CODE, -1);
    for (int i = 0; i < CODES.length; i++) SLOT_OF_CODE[CODES[i]] = FIRST_CODE + i;
  }

  static final int SIZE = FIRST_CODE + CODES.length;

  private Slots() {}

  /** The slot of status class {@code status / 100}, or -1 for a status outside 100…599. */
  static int ofStatus(int status) {
    int c = status / 100;
    return c >= 1 && c <= 5 ? FIRST_CLASS + c - 1 : -1;
  }

  /** The slot of an edge code, or -1 for a code no edge page shows. */
  static int ofCode(int code) {
    return code >= 0 && code < SLOT_OF_CODE.length ? SLOT_OF_CODE[code] : -1;
  }

  /** {@code "2xx"} for the class slots, null for the others. */
  static String className(int slot) {
    return slot >= FIRST_CLASS && slot < FIRST_CODE ? (slot - FIRST_CLASS + 1) + "xx" : null;
  }

  /** The code of a code slot, or -1. */
  static int codeOf(int slot) {
    return slot >= FIRST_CODE && slot < SIZE ? CODES[slot - FIRST_CODE] : -1;
  }

  static boolean isClass(int slot) {
    return slot >= FIRST_CLASS && slot < FIRST_CODE;
  }
}
