package io.edgeray.testing;

/**
 * The body bytes {@link FaultyOrigin} streams for {@code GET /bytes/{n}}: byte i is i mod 251.
 * A prime period means a body that lost, doubled or shifted a block does not still match.
 */
public final class BytePattern {
  private static final int PERIOD = 251;

  private BytePattern() {}

  public static byte at(long offset) {
    return (byte) (offset % PERIOD);
  }

  /** Fills {@code buf} with the pattern as it runs from {@code offset}. */
  public static void fill(byte[] buf, long offset) {
    int phase = (int) (offset % PERIOD);
    for (int i = 0; i < buf.length; i++) {
      buf[i] = (byte) phase;
      phase = phase + 1 == PERIOD ? 0 : phase + 1;
    }
  }

  /** A buffer whose length is a multiple of the period, so writing it repeatedly continues the pattern. */
  static byte[] repeatingBlock() {
    byte[] block = new byte[PERIOD * 261]; // just under 64 KiB
    fill(block, 0);
    return block;
  }
}
