package io.edgeray.config.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.cache.CacheSettings;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.Durations;
import io.edgeray.config.Zone;
import io.edgeray.tls.CertificateDescription;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;


/** Zones and records as the API shows them: the setting names and value forms of the YAML, so an answer can be sent back as a change. */
final class ZoneJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ZoneJson() {}

  static ObjectNode summary(Zone z) {
    ObjectNode o = settings(z);
    o.put("records", z.records().size());
    return o;
  }

  static ObjectNode full(Zone z) {
    ObjectNode o = settings(z);
    ArrayNode records = o.putArray("records");
    z.records().forEach(r -> records.add(record(r)));
    return o;
  }

  /** The zone's certificate as the SSL/TLS page shows it, or JSON null when the zone has none in service. */
  static JsonNode certificate(X509Certificate c) {
    if (c == null) return F.nullNode();
    ObjectNode o = F.objectNode();
    ArrayNode names = o.putArray("names");
    CertificateDescription.dnsNames(c).forEach(names::add);
    o.put("not_after", c.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
    o.put("issuer", CertificateDescription.issuer(c));
    return o;
  }

  private static ObjectNode settings(Zone z) {
    ObjectNode o = F.objectNode();
    o.put("name", z.name());
    o.put("paused", z.paused());
    o.put("ssl", z.tls().ssl().configName());
    o.put("always_use_https", z.tls().alwaysUseHttps());
    o.putObject("origin_ports").put("http", z.originPorts().http()).put("https", z.originPorts().https());
    o.putObject("timeouts")
        .put("connect", Durations.format(z.timeouts().connect()))
        .put("read", Durations.format(z.timeouts().read()))
        .put("write", Durations.format(z.timeouts().write()));
    o.set("cache", RuleJson.cache(z.features().get(CacheSettings.class, CacheSettings.DEFAULTS)));
    return o;
  }

  static ObjectNode record(DnsRecord r) {
    ObjectNode o = F.objectNode();
    o.put("id", RecordId.of(r));
    o.put("type", r.type().name());
    o.put("name", r.name());
    o.put("content", r.content());
    o.put("proxied", r.proxied());
    o.put("ttl", r.ttl());
    if (r.type() == DnsRecord.Type.MX || r.type() == DnsRecord.Type.SRV) o.put("priority", r.priority());
    return o;
  }
}
