package io.edgeray.dns;

import io.edgeray.config.DnsRecord;
import io.edgeray.config.EdgeNetwork;
import io.edgeray.config.Zone;
import io.edgeray.config.LoadBalancer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One zone's records arranged for lookup: the records at each name, the names that exist only
 * because a longer name does (empty non-terminals, which stop wildcards: RFC 4592), and the
 * subdomains delegated elsewhere by an NS record.
 *
 * <p>What the server makes up when the config does not say it:
 * <ul>
 *   <li>SOA: always, since the config has no SOA type. MNAME is the first name server,
 *       RNAME {@code hostmaster.<zone>}; refresh, retry and expire are the usual 10000, 2400 and
 *       604800 s; the negative TTL is 300 s, like the proxied TTL, so a record added after a
 *       typo shows within five minutes. The serial is a checksum of the zone's records, so every
 *       node with the same config answers the same SOA (zone transfers are refused anyway).
 *   <li>NS: when the zone has no NS record at its apex, {@code ns1.<zone>} and
 *       {@code ns2.<zone>}, and those two names answer with the edge's addresses (the server runs
 *       on the edge), unless the zone writes its own records at those names. Two names because
 *       registries ask for at least two; with one fleet address they are the same servers.
 * </ul>
 */
final class ZoneIndex {
  private static final Logger log = LoggerFactory.getLogger(ZoneIndex.class);
  static final long NEGATIVE_TTL = 300;
  private static final long SOA_TTL = 3600;
  private static final long NS_TTL = 86400;
  private static final Name WILDCARD = Name.fromConstantString("*");

  enum Kind { FOUND, NO_DATA, NO_NAME, DELEGATED }

  /** Where a name landed: its records (FOUND), or the delegation point (DELEGATED). */
  record Lookup(Kind kind, NameRecords records, Name cut) {}

  private final Name apex;
  private final Map<Name, NameRecords> names = new HashMap<>();
  private final Set<Name> nonTerminals = new HashSet<>();
  private final Set<Name> cuts = new HashSet<>();
  private final SOARecord soa;

  ZoneIndex(Zone zone, EdgeNetwork edge) {
    apex = Name.fromConstantString(zone.name() + ".");
    for (DnsRecord r : zone.records()) {
      Name owner = Name.fromConstantString(r.name() + ".");
      Record record;
      try {
        record = RecordData.asWritten(r, owner);
      } catch (IOException | RuntimeException e) {
        log.warn("zone {}: record on config line {} ({} {}) cannot be sent and is left out: {}",
            zone.name(), r.line(), r.type(), r.name(), e.getMessage());
        continue;
      }
      NameRecords at = names.computeIfAbsent(owner, n -> new NameRecords());
      at.add(record);
      if (r.proxied() && !zone.paused()) at.answerWithEdge();
      if (r.type() == DnsRecord.Type.NS && !owner.equals(apex)) cuts.add(owner);
      for (Name n = parent(owner); n.labels() > apex.labels(); n = parent(n)) nonTerminals.add(n);
    }
    // a load-balanced name is the edge's, as a proxied record's is, whether it has records or not
    for (LoadBalancer lb : zone.paused() ? List.<LoadBalancer>of() : zone.loadBalancers()) {
      Name owner = Name.fromConstantString(lb.host() + ".");
      names.computeIfAbsent(owner, n -> new NameRecords()).answerWithEdge();
      for (Name n = parent(owner); n.labels() > apex.labels(); n = parent(n)) nonTerminals.add(n);
    }
    NameRecords atApex = names.computeIfAbsent(apex, n -> new NameRecords());
    List<Record> ns = atApex.ofType(Type.NS, apex);
    if (ns.isEmpty()) {
      for (String label : List.of("ns1", "ns2")) {
        Name server = Name.fromConstantString(label + "." + apex);
        atApex.add(new NSRecord(apex, DClass.IN, NS_TTL, server));
        if (!names.containsKey(server)) names.computeIfAbsent(server, n -> new NameRecords()).answerWithEdge();
      }
      ns = atApex.ofType(Type.NS, apex);
    }
    Name primary = ((NSRecord) ns.get(0)).getTarget();
    soa = new SOARecord(apex, DClass.IN, SOA_TTL, primary, Name.fromConstantString("hostmaster." + apex),
        serial(zone, edge), 10000, 2400, 604800, NEGATIVE_TTL);
    atApex.add(soa);
  }

  Name apex() {
    return apex;
  }

  /** The SOA for the authority section of a negative answer, with the negative TTL (RFC 2308 §3). */
  Record negativeSoa() {
    return new SOARecord(apex, DClass.IN, NEGATIVE_TTL, soa.getHost(), soa.getAdmin(), soa.getSerial(),
        soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
  }

  /** Finds {@code name}, which must be at or below the apex: exact, then wildcard, else no name. */
  Lookup lookup(Name name) {
    Name cut = null; // the cut nearest the apex wins: anything below it belongs to the child zone
    for (Name n = name; n.labels() > apex.labels(); n = parent(n)) {
      if (cuts.contains(n)) cut = n;
    }
    if (cut != null) return new Lookup(Kind.DELEGATED, names.get(cut), cut);
    NameRecords exact = names.get(name);
    if (exact != null) return new Lookup(Kind.FOUND, exact, null);
    if (nonTerminals.contains(name)) return new Lookup(Kind.NO_DATA, null, null);
    Name encloser = parent(name);
    while (encloser.labels() > apex.labels() && !exists(encloser)) encloser = parent(encloser);
    try {
      NameRecords wildcard = names.get(Name.concatenate(WILDCARD, encloser));
      if (wildcard != null) return new Lookup(Kind.FOUND, wildcard, null);
    } catch (NameTooLongException e) {
      // no wildcard can stand in for a name this long
    }
    return new Lookup(Kind.NO_NAME, null, null);
  }

  /** The records at exactly {@code name}, ignoring cuts and wildcards: for glue. */
  NameRecords exactly(Name name) {
    return names.get(name);
  }

  private boolean exists(Name n) {
    return names.containsKey(n) || nonTerminals.contains(n);
  }

  private static Name parent(Name n) {
    return new Name(n, 1);
  }

  private static long serial(Zone zone, EdgeNetwork edge) {
    CRC32 crc = new CRC32();
    List<String> facts = new ArrayList<>();
    zone.records().forEach(r -> facts.add(r.type() + " " + r.name() + " " + r.content() + " " + r.proxied() + " " + r.ttl()));
    zone.loadBalancers().forEach(lb -> facts.add("load balancer " + lb.host()));
    facts.add("paused " + zone.paused());
    facts.add("edge " + edge.addresses());
    crc.update(String.join("\n", facts).getBytes(StandardCharsets.UTF_8));
    return Math.max(1, crc.getValue() & 0x7fffffffL);
  }
}
