package io.edgeray.dns;

import io.edgeray.config.EdgeConfig;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authoritative answer to a DNS query, worked out from one config alone: no I/O, and never
 * recursion, so the server can not be used as an open resolver.
 *
 * <p>The rules, in the order a query meets them:
 * <ul>
 *   <li>A name outside every zone is REFUSED; so are zone transfers and classes other than IN.
 *   <li>A delegated subdomain (an NS record below the apex) gets a referral, without AA.
 *   <li>A name that does not exist is NXDOMAIN; a name without the asked type is NODATA. Both
 *       carry the zone's SOA in the authority section, so resolvers can cache the negative answer.
 *   <li>A proxied name (a proxied A, AAAA or CNAME, zone not paused) answers A with the edge's IPv4
 *       addresses and AAAA with its IPv6 addresses, TTL 300, whichever of them the owner wrote:
 *       visitors reach the edge, so the origin's address families do not matter. Its CNAME is
 *       never shown (that is the flattening): the origin's name stays private.
 *   <li>In a paused zone every record is answered as written, as if none were proxied.
 *   <li>A DNS-only CNAME is answered as written, and followed while its target is in our zones.
 *       At the apex, where a CNAME can not stand beside SOA and NS, it is flattened: A and AAAA
 *       queries get the target's addresses under the apex name. A target outside our zones can
 *       not be flattened without recursion, so that apex answers with the CNAME as written.
 *   <li>ANY gets the single HINFO "RFC8482" record of RFC 8482, not every record (amplification).
 * </ul>
 */
public final class ZoneAnswers {
  static final long PROXIED_TTL = 300;
  /** The UDP size the server offers in EDNS: the 2020 DNS flag day's value, below fragmentation. */
  static final int EDNS_PAYLOAD = 1232;
  private static final int MAX_CHAIN = 8;

  private final EdgeConfig config;
  private final List<ZoneIndex> zones;

  public ZoneAnswers(EdgeConfig config) {
    this.config = config;
    this.zones = config.zones().stream()
        .map(z -> new ZoneIndex(z, config.edge()))
        .sorted(Comparator.comparingInt((ZoneIndex z) -> z.apex().labels()).reversed())
        .toList();
  }

  /** The config these answers were worked out from. */
  public EdgeConfig config() {
    return config;
  }

  public Message answer(Message query) {
    Message response = new Message(query.getHeader().getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) header.setFlag(Flags.RD); // copied, and RA stays clear
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      header.setRcode(Rcode.NOTIMP);
      return response;
    }
    List<Record> questions = query.getSection(Section.QUESTION);
    if (questions.size() != 1) {
      header.setRcode(Rcode.FORMERR);
      return response;
    }
    Record question = questions.get(0);
    response.addRecord(question, Section.QUESTION);
    OPTRecord edns = query.getOPT();
    if (edns != null && edns.getVersion() != 0) {
      response.addRecord(new OPTRecord(EDNS_PAYLOAD, Rcode.BADVERS >>> 4, 0), Section.ADDITIONAL);
      header.setRcode(Rcode.BADVERS & 0xF);
      return response;
    }
    answerQuestion(response, question.getName().canonicalize(), question.getType(), question.getDClass());
    if (edns != null) response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    return response;
  }

  private void answerQuestion(Message response, Name qname, int qtype, int qclass) {
    if (qclass != DClass.IN && qclass != DClass.ANY || qtype == Type.AXFR || qtype == Type.IXFR
        || zoneFor(qname) == null) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return;
    }
    response.getHeader().setFlag(Flags.AA);
    Name name = qname;
    Set<Name> followed = new HashSet<>();
    while (followed.add(name) && followed.size() <= MAX_CHAIN) {
      ZoneIndex zone = zoneFor(name);
      if (zone == null) return; // the CNAME chain leaves our zones: the resolver follows it from here
      ZoneIndex.Lookup found = zone.lookup(name);
      switch (found.kind()) {
        case DELEGATED -> {
          if (followed.size() == 1) refer(response, found); // later in a CNAME chain, the resolver follows on
          return;
        }
        case NO_NAME -> {
          response.getHeader().setRcode(Rcode.NXDOMAIN);
          response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
          return;
        }
        case NO_DATA -> {
          response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
          return;
        }
        case FOUND -> { }
      }
      if (qtype == Type.ANY) {
        response.addRecord(new HINFORecord(name, DClass.IN, 3600, "RFC8482", ""), Section.ANSWER);
        return;
      }
      List<Record> records = recordsAt(zone, found.records(), name, qtype, 0);
      if (records.isEmpty()) {
        response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        return;
      }
      records.forEach(r -> response.addRecord(r, Section.ANSWER));
      if (records.get(0) instanceof CNAMERecord cname && qtype != Type.CNAME) {
        name = cname.getTarget().canonicalize();
        continue;
      }
      if (qtype == Type.NS) addGlue(response, records);
      return;
    }
  }

  /** The records answering {@code qtype} at one name: the edge's, as written, or flattened. */
  private List<Record> recordsAt(ZoneIndex zone, NameRecords at, Name owner, int qtype, int depth) {
    if (at.answersWithEdge()) {
      if (qtype == Type.A || qtype == Type.AAAA) return edgeAddresses(owner, qtype);
      if (qtype == Type.CNAME) return List.of();
      return at.ofType(qtype, owner);
    }
    CNAMERecord cname = at.cname();
    if (cname == null) return at.ofType(qtype, owner);
    if (!owner.equals(zone.apex())) return List.of(cname.withName(owner));
    if (qtype == Type.A || qtype == Type.AAAA) {
      List<Record> flat = flatten(cname.getTarget(), qtype, owner, cname.getTTL(), depth + 1);
      return flat != null ? flat : List.of(cname);
    }
    if (qtype == Type.CNAME) return zoneFor(cname.getTarget()) == null ? List.of(cname) : List.of();
    return at.ofType(qtype, owner); // SOA and NS, which the apex has beside its CNAME
  }

  /**
   * The A or AAAA records {@code target} resolves to inside our zones, renamed to {@code owner}
   * with the shortest TTL on the way; null when the chain leaves what we hold.
   */
  private List<Record> flatten(Name target, int qtype, Name owner, long ttl, int depth) {
    if (depth > MAX_CHAIN) return List.of();
    ZoneIndex zone = zoneFor(target);
    if (zone == null) return null;
    ZoneIndex.Lookup found = zone.lookup(target.canonicalize());
    if (found.kind() == ZoneIndex.Kind.DELEGATED) return null;
    if (found.kind() != ZoneIndex.Kind.FOUND) return List.of();
    List<Record> records = recordsAt(zone, found.records(), target, qtype, depth);
    if (!records.isEmpty() && records.get(0) instanceof CNAMERecord next) {
      return flatten(next.getTarget(), qtype, owner, Math.min(ttl, next.getTTL()), depth + 1);
    }
    return records.stream().map(r -> withTtl(r.withName(owner), Math.min(ttl, r.getTTL()))).toList();
  }

  private void refer(Message response, ZoneIndex.Lookup found) {
    response.getHeader().unsetFlag(Flags.AA); // the child zone's servers are the authority
    List<Record> servers = found.records().ofType(Type.NS, found.cut());
    servers.forEach(r -> response.addRecord(r, Section.AUTHORITY));
    addGlue(response, servers);
  }

  /** Addresses of name servers that are in our zones, so a resolver need not ask again. */
  private void addGlue(Message response, List<Record> servers) {
    for (Record r : servers) {
      Name server = ((NSRecord) r).getTarget().canonicalize();
      ZoneIndex zone = zoneFor(server);
      NameRecords at = zone == null ? null : zone.exactly(server);
      if (at == null) continue;
      for (int type : new int[] {Type.A, Type.AAAA}) {
        List<Record> addresses = at.answersWithEdge() ? edgeAddresses(server, type) : at.ofType(type, server);
        addresses.forEach(a -> response.addRecord(a, Section.ADDITIONAL));
      }
    }
  }

  private List<Record> edgeAddresses(Name owner, int type) {
    List<InetAddress> addresses = type == Type.A ? config.edge().ipv4Addresses() : config.edge().ipv6Addresses();
    return addresses.stream().map(a -> RecordData.address(owner, a, PROXIED_TTL)).toList();
  }

  private ZoneIndex zoneFor(Name name) {
    return zones.stream().filter(z -> name.subdomain(z.apex())).findFirst().orElse(null);
  }

  private static Record withTtl(Record r, long ttl) {
    return Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl, r.rdataToWireCanonical());
  }
}
