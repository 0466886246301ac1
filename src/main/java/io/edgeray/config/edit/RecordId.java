package io.edgeray.config.edit;

import io.edgeray.config.DnsRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record's id in the API: the first 12 hex digits of the SHA-256 of its type, name and content
 * as loaded. It does not move when other records are added or deleted (an index would), and it
 * is the same on every node reading the same file; changing a record's content gives it a new id,
 * which the answer to the change carries.
 */
final class RecordId {
  private RecordId() {}

  static String of(DnsRecord r) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((r.type() + " " + r.name() + " " + r.content()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
