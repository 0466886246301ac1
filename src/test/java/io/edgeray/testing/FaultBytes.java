package io.edgeray.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The exact bytes some faults put on the wire, public so tests can assert on them byte for byte. */
public final class FaultBytes {
  /** Length of the body that {@link Fault#RESET_MID_BODY} announces. */
  public static final int RESET_MID_BODY_ANNOUNCED = 100_000;
  /** How many of the announced body bytes {@link Fault#RESET_MID_BODY} sends before the RST. */
  public static final int RESET_MID_BODY_SENT = 1_000;
  /** Size of the header lines of {@link Fault#OVERSIZED_HEAD}: over the edge's 128 KiB limit. */
  public static final int OVERSIZED_HEADER_BYTES = 200 * 1024;
  /** The body {@link Fault#OVERLONG_BODY} writes after announcing 10 bytes. */
  public static final String OVERLONG_BODY = "0123456789-and-26-more-bytes-after!!";
  /** The Link header {@link Fault#EARLY_HINTS} sends in its 103. */
  public static final String EARLY_HINT_LINK = "</style.css>; rel=preload; as=style";
  /** A header {@link Fault#EARLY_HINTS}'s 103 names in its Connection header: for the hop to the edge only. */
  public static final String EARLY_HINT_HOP = "X-Hint-Hop";
  /** Length of the body that {@link Fault#SLOW_BODY} promises and trickles. */
  public static final int SLOW_BODY_BYTES = 10;
  /** How many of those {@link Fault#SLOW_BODY_CUT} sends before it closes. */
  public static final int SLOW_BODY_CUT_AFTER = 4;

  private static final byte[] PLAIN_ANSWER = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
      + "Content-Length: 12\r\nConnection: close\r\n\r\nbad request\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GARBAGE = "HELLO\r\nthis is not http\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OVERSIZED = buildOversized();
  private static final byte[] RESET_MID_BODY = buildResetMidBody();

  private FaultBytes() {}

  public static byte[] garbageHead() {
    return GARBAGE.clone();
  }

  /** What {@link Fault#PLAIN_ON_TLS_PORT} answers to whatever arrives. */
  public static byte[] plainAnswer() {
    return PLAIN_ANSWER.clone();
  }

  /** A valid status line, 200 header lines of exactly 1024 bytes each, Content-Length: 0, blank line. */
  public static byte[] oversizedHead() {
    return OVERSIZED.clone();
  }

  /** A 200 head with Content-Length: 100000 followed by the first 1000 body bytes of {@link BytePattern}. */
  public static byte[] resetMidBodyPrefix() {
    return RESET_MID_BODY.clone();
  }

  private static byte[] buildOversized() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(OVERSIZED_HEADER_BYTES + 64);
    out.writeBytes(ascii("HTTP/1.1 200 OK\r\n"));
    String filler = "a".repeat(1024 - "X-Filler-000: ".length() - 2);
    for (int i = 0; i < OVERSIZED_HEADER_BYTES / 1024; i++) {
      out.writeBytes(ascii(String.format("X-Filler-%03d: %s\r\n", i, filler)));
    }
    out.writeBytes(ascii("Content-Length: 0\r\n\r\n"));
    return out.toByteArray();
  }

  private static byte[] buildResetMidBody() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
        + RESET_MID_BODY_ANNOUNCED + "\r\n\r\n"));
    byte[] body = new byte[RESET_MID_BODY_SENT];
    BytePattern.fill(body, 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
