package io.edgeray.config.load;

import io.edgeray.config.DnsRecord;
import io.edgeray.config.load.ConfigValue;
import io.edgeray.config.load.ConfigSection;
import io.edgeray.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/** A zone's DNS records: types, names qualified within the zone, contents checked (IP literals, MX and SRV data), CNAME exclusivity. */
final class RecordConfigReader {
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

  private RecordConfigReader() {}

  static DnsRecord readRecord(ConfigValue v, String zone) throws ConfigException {
    ConfigSection s = v.section();
    ConfigValue typeValue = s.required("type");
    DnsRecord.Type type;
    try {
      type = DnsRecord.Type.valueOf(typeValue.nonEmptyString().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw typeValue.error("\"" + typeValue.string() + "\" is not a record type (A, AAAA, CNAME, TXT, MX, NS, CAA, SRV)");
    }
    ConfigValue nameValue = s.required("name");
    String name = qualify(nameValue, zone);
    ConfigValue contentValue = s.required("content");
    String content = contentValue.nonEmptyString();
    int priority = s.optional("priority").isPresent() ? s.optional("priority").get().integer(0, 65535) : 10;
    switch (type) {
      case A -> {
        if (!isIpv4(content)) throw contentValue.error("\"" + content + "\" is not an IPv4 address");
      }
      case AAAA -> {
        if (!content.contains(":") || !isIpLiteral(content)) {
          throw contentValue.error("\"" + content + "\" is not an IPv6 address");
        }
      }
      case CNAME, NS -> content = normalizeName(contentValue);
      case MX, SRV -> {
        Record parsed = parseRecordData(type, withPriority(type, content, priority), contentValue);
        content = parsed.rdataToString();
        priority = parsed instanceof MXRecord mx ? mx.getPriority() : ((SRVRecord) parsed).getPriority();
      }
      case CAA -> parseRecordData(type, content, contentValue);
      case TXT -> {
        if (content.startsWith("\"")) parseRecordData(type, content, contentValue);
      }
    }
    boolean proxied = false;
    var proxiedValue = s.optional("proxied");
    if (proxiedValue.isPresent()) {
      proxied = proxiedValue.get().bool();
      if (proxied && !type.proxiable()) {
        throw proxiedValue.get().error("only A, AAAA and CNAME records can be proxied, not " + type);
      }
    }
    int ttl = s.optional("ttl").isPresent() ? s.optional("ttl").get().integer(1, 86400 * 7) : 300;
    s.finish();
    return new DnsRecord(type, name, content, proxied, ttl, priority, v.line());
  }

  /**
   * MX and SRV content may leave the priority out ({@code mail.shop.example}, {@code 5 443 sip.shop.example})
   * and give it as {@code priority:}; the content is then completed, so it always reads as zone-file data.
   */
  private static String withPriority(DnsRecord.Type type, String content, int priority) {
    int fields = content.split("\\s+").length;
    boolean priorityMissing = type == DnsRecord.Type.MX ? fields == 1 : fields == 3;
    return priorityMissing ? priority + " " + content : content;
  }

  /** Record data in zone-file syntax, checked by dnsjava so the DNS server never meets a record it cannot send. */
  private static Record parseRecordData(DnsRecord.Type type, String data, ConfigValue where) throws ConfigException {
    try {
      return Record.fromString(Name.root, Type.value(type.name()), DClass.IN, 300, data, Name.root);
    } catch (IOException | RuntimeException e) {
      String example = switch (type) {
        case MX -> "10 mail.example.com";
        case SRV -> "10 5 5060 sip.example.com (priority weight port target)";
        case CAA -> "0 issue \"letsencrypt.org\"";
        default -> "\"text\" \"more text\"";
      };
      throw where.error("\"" + data + "\" is not valid " + type + " content (" + e.getMessage() + "); write it like " + example);
    }
  }

  /**
   * A name that has a CNAME may have no other record (RFC 1034 §3.6.2). The apex is the exception
   * for all but A and AAAA: its CNAME is flattened into A and AAAA answers, so MX, TXT and the
   * rest stand beside it, as they must beside the zone's SOA and NS.
   */
  static void checkCnameExclusive(List<DnsRecord> records, String zone, ConfigValue where)
      throws ConfigException {
    Map<String, DnsRecord> cnames = new HashMap<>();
    Set<String> others = new HashSet<>();
    for (DnsRecord r : records) {
      if (r.type() == DnsRecord.Type.CNAME) {
        DnsRecord earlier = cnames.putIfAbsent(r.name(), r);
        if (earlier != null || others.contains(r.name())) {
          throw new ConfigException(where.file, r.line(), where.key,
              r.name() + " has a CNAME and another record; a CNAME must stand alone");
        }
      } else if (!r.name().equals(zone) || r.type() == DnsRecord.Type.A || r.type() == DnsRecord.Type.AAAA) {
        others.add(r.name());
        if (cnames.containsKey(r.name())) {
          throw new ConfigException(where.file, r.line(), where.key,
              r.name() + " has a CNAME and another record; a CNAME must stand alone");
        }
      }
    }
  }

  private static String qualify(ConfigValue v, String zone) throws ConfigException {
    String n = v.nonEmptyString().toLowerCase(Locale.ROOT);
    if (n.equals("@")) return zone;
    if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
    if (n.equals(zone) || n.endsWith("." + zone)) return n;
    String full = n + "." + zone;
    String check = full.startsWith("*.") ? full.substring(2) : full;
    if (!HOST_NAME.matcher(check).matches()) throw v.error("\"" + n + "\" is not a valid record name");
    return full;
  }

  static String normalizeName(ConfigValue v) throws ConfigException {
    String n = v.nonEmptyString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
    if (!HOST_NAME.matcher(n).matches()) throw v.error("\"" + n + "\" is not a valid domain name");
    return n;
  }

  static boolean isIpv4(String s) {
    return s.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  }

  static boolean isIpLiteral(String s) {
    if (isIpv4(s)) return true;
    if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) return false;
    try {
      InetAddress.getByName(s); // a literal: no lookup is made
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
