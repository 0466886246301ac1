package io.edgeray.observe;

import java.util.concurrent.ThreadLocalRandom;

/** Ray ids: 16 lowercase hex digits, a dash and the node's short name ({@code 8f3a1c0d2b4e6a71-AMS}). */
public final class RayId {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RayId() {}

  public static String next(String node) {
    long bits = ThreadLocalRandom.current().nextLong();
    char[] out = new char[17 + node.length()];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
    out[16] = '-';
    node.getChars(0, node.length(), out, 17);
    return new String(out);
  }
}
