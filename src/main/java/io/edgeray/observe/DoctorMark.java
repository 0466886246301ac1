package io.edgeray.observe;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How the edge tells its own doctor's requests from a visitor's: a header carrying a secret only
 * this edge and its doctor know. A visitor cannot guess it, so it cannot hide its failures from the
 * metrics and incidents by posing as the doctor (a User-Agent could be copied by anyone). The
 * in-process doctor is handed the mark; the command-line doctor reads it from
 * {@code state/doctor-key} beside the config, which the edge writes at start with mode 0600.
 */
public final class DoctorMark {
  public static final String HEADER = "Edge-Doctor";
  // looked up on every request: an AsciiString keeps its hash
  private static final AsciiString HEADER_NAME = AsciiString.cached(HEADER);
  static final String FILE = "state/doctor-key";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;

  private DoctorMark(String secret) {
    this.secret = secret.getBytes(StandardCharsets.US_ASCII);
  }

  /** A new random mark, for one run of an edge. */
  public static DoctorMark random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return new DoctorMark(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  /** The secret to send in {@link #HEADER}. */
  public String secret() {
    return new String(secret, StandardCharsets.US_ASCII);
  }

  /**
   * Whether the request carries this mark; the header is removed either way, so neither the
   * secret nor a visitor's attempt at it ever reaches an origin.
   */
  public boolean takeFrom(HttpHeaders headers) {
    String sent = headers.get(HEADER_NAME);
    if (sent == null) return false;
    headers.remove(HEADER_NAME);
    return MessageDigest.isEqual(secret, sent.getBytes(StandardCharsets.US_ASCII)); // in constant time
  }

  /** Where an edge whose config is {@code config} keeps its mark. */
  public static Path fileBeside(Path config) {
    Path dir = config.toAbsolutePath().getParent();
    return dir.resolve(FILE);
  }

  /** Writes the mark beside the config, readable by its owner only. */
  public void writeBeside(Path config) throws IOException {
    Path file = fileBeside(config);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, secret() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The mark of the edge whose config is {@code config}, or null when it has none (not running, or not readable). */
  public static DoctorMark readBeside(Path config) {
    try {
      String s = Files.readString(fileBeside(config), StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? null : new DoctorMark(s);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
