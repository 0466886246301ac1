package io.edgeray.admin;

import io.edgeray.config.AdminToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Admin API tokens: {@code edr_} and 32 random bytes in base64url, of which the config keeps only
 * {@code sha256:<hex>}. A token has 256 bits of entropy, so one unsalted hash is enough (there is
 * no dictionary to try), and checking it costs one digest, not a password hash's deliberate wait.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "edr_";

  private Tokens() {}

  public static String create() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    return "sha256:" + HexFormat.of().formatHex(sha256(token));
  }

  /** The token among {@code known} whose hash this presented token has, or null; compared in constant time. */
  public static AdminToken find(List<AdminToken> known, String presented) {
    if (presented == null || presented.isEmpty()) return null;
    byte[] hash = hash(presented).getBytes(StandardCharsets.US_ASCII);
    AdminToken found = null;
    for (AdminToken t : known) {
      if (MessageDigest.isEqual(hash, t.hash().getBytes(StandardCharsets.US_ASCII))) found = t;
    }
    return found;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
