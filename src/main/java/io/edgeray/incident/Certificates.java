package io.edgeray.incident;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The zones' certificate files, by a hash of their bytes: a reload that rotates one is a change an incident quotes. */
public final class Certificates {
  private Certificates() {}

  /** Zone name to a short hash of its certificate file (or of the error reading it); zones without one are left out. */
  public static Map<String, String> fingerprints(EdgeConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Zone z : config.zones()) {
      if (z.tls() == null || z.tls().certificate() == null) continue;
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(z.tls().certificate().cert()));
        out.put(z.name(), HexFormat.of().formatHex(hash, 0, 8));
      } catch (IOException e) {
        out.put(z.name(), "unreadable: " + e.getMessage());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** In words, each zone whose certificate is new, gone or different. */
  public static List<String> rotated(Map<String, String> before, Map<String, String> after) {
    List<String> out = new ArrayList<>();
    after.forEach((zone, hash) -> {
      String old = before.get(zone);
      if (old == null) out.add("certificate of zone " + zone + " added (" + hash + ")");
      else if (!old.equals(hash)) out.add("certificate of zone " + zone + " rotated (" + old + " -> " + hash + ")");
    });
    before.keySet().stream().filter(z -> !after.containsKey(z)).forEach(z -> out.add("certificate of zone " + z + " removed"));
    return out;
  }
}
