package io.edgeray.dns;

import io.edgeray.config.DnsRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Turns the config's records into dnsjava records; dnsjava parses the zone-file syntax. */
final class RecordData {
  private RecordData() {}

  /** The record as written in the config (its DNS-only form), owned by {@code owner}. */
  static Record asWritten(DnsRecord r, Name owner) throws IOException {
    if (r.type() == DnsRecord.Type.TXT && !r.content().startsWith("\"")) {
      return plainText(owner, r.ttl(), r.content());
    }
    // The config loader already wrote MX and SRV content in full (priority first) and checked it.
    return Record.fromString(owner, Type.value(r.type().name()), DClass.IN, r.ttl(), r.content(), Name.root);
  }

  static Record address(Name owner, InetAddress address, long ttl) {
    return address instanceof Inet4Address
        ? new ARecord(owner, DClass.IN, ttl, address)
        : new AAAARecord(owner, DClass.IN, ttl, address);
  }

  /**
   * Unquoted TXT content is one text, as an owner pastes an SPF or verification string: it is cut
   * into the 255-byte strings the wire needs, not split at spaces as zone-file syntax would, and
   * backslashes stay backslashes.
   */
  private static Record plainText(Name owner, long ttl, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int start = 0; start < bytes.length; start += 255) {
      int length = Math.min(255, bytes.length - start);
      wire.write(length);
      wire.write(bytes, start, length);
    }
    return Record.newRecord(owner, Type.TXT, DClass.IN, ttl, wire.toByteArray());
  }
}
