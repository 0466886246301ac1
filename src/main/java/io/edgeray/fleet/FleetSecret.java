package io.edgeray.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential nodes call each other's admin API with: 32 random bytes (base64url) at
 * {@code PREFIX/secret}, sent as {@code Authorization: Bearer fleet.<secret>} with the caller's
 * name in {@link #NODE_HEADER}. Whoever can read etcd can already change the fleet's config, so
 * it adds no new trust; it opens only the fleet's own routes, never a general edit. It is never
 * logged, and compared in constant time.
 *
 * <p>{@code edgeray fleet import} creates it when absent, and so does the first node that finds
 * none, in one put-if-absent transaction, so racing nodes agree on one. A node reads it again at
 * each registration refresh: a secret replaced in etcd is followed within a third of the lease.
 */
public final class FleetSecret {
  private static final Logger LOG = LoggerFactory.getLogger(FleetSecret.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** What the bearer value starts with. */
  public static final String PREFIX = "fleet.";
  /** The calling node's name. */
  public static final String NODE_HEADER = "Edgeray-Fleet-Node";

  private final Etcd etcd;
  private final String key;
  private volatile String value;

  FleetSecret(Etcd etcd, String prefix) {
    this.etcd = etcd;
    this.key = key(prefix);
  }

  static String key(String prefix) {
    return prefix + "/secret";
  }

  /** On the fleet's thread: reads (or creates) the secret; while etcd is away the one known is kept. */
  void refresh() {
    try {
      String v = ensure(etcd, key);
      if (value == null) LOG.info("fleet: the node-to-node credential is at {}", key);
      value = v;
    } catch (Etcd.Unreachable e) {
      LOG.debug("fleet: cannot read {} yet: {}", key, e.getMessage());
    }
  }

  /** The secret, or null until etcd first answered. */
  String current() {
    return value;
  }

  /** The secret at {@code key}, written first when there is none. */
  static String ensure(Etcd etcd, String key) throws Etcd.Unreachable {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return etcd.putIfAbsent(key, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** The Authorization header value a node sends. */
  public static String authorization(String secret) {
    return "Bearer " + PREFIX + secret;
  }

  /** Whether a bearer value is meant as the fleet credential (then it is checked as one, never as a token). */
  public static boolean isFleetCredential(String bearer) {
    return bearer != null && bearer.startsWith(PREFIX);
  }

  /**
   * Whether {@code bearer} is {@code fleet.<secret>}; digests are compared, so the time taken says
   * nothing about how much of it was right, nor about its length.
   */
  public static boolean matches(String secret, String bearer) {
    if (secret == null || !isFleetCredential(bearer)) return false;
    return MessageDigest.isEqual(sha256(PREFIX + secret), sha256(bearer));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
