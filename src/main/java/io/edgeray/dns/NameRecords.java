package io.edgeray.dns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The records at one name of a zone, as written, and whether the name is answered with the
 * edge's own addresses instead of its A, AAAA and CNAME records (a proxied name in a zone that
 * is not paused, or a name server name the server made up).
 */
final class NameRecords {
  private final List<Record> records = new ArrayList<>();
  private boolean answersWithEdge;

  void add(Record record) {
    records.add(record);
  }

  void answerWithEdge() {
    answersWithEdge = true;
  }

  boolean answersWithEdge() {
    return answersWithEdge;
  }

  /** The records of one type, owned by {@code owner} (which differs from theirs for a wildcard). */
  List<Record> ofType(int type, Name owner) {
    return records.stream().filter(r -> r.getType() == type).map(r -> r.withName(owner)).toList();
  }

  /** The CNAME at this name, or null; the config ensures a CNAME stands alone. */
  CNAMERecord cname() {
    return records.stream()
        .filter(r -> r instanceof CNAMERecord).map(r -> (CNAMERecord) r).findFirst().orElse(null);
  }
}
