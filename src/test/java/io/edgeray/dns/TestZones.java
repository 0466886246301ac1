package io.edgeray.dns;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * The zones every DNS test asks about. Addresses are documentation ranges: they are only data in
 * answers and are never connected to.
 */
final class TestZones {
  static final String EDGE_V4_1 = "203.0.113.10";
  static final String EDGE_V4_2 = "203.0.113.11";
  static final String EDGE_V6 = "2001:db8::10";
  /** TXT records at big.shop.example: about 2.3 KB, more than any UDP answer carries. */
  static final int BIG_TXT_COUNT = 20;
  /** TXT records at medium.shop.example: about 700 bytes, more than 512 but less than 800. */
  static final int MEDIUM_TXT_COUNT = 6;

  private TestZones() {}

  static EdgeConfig config() {
    return config(false);
  }

  /** The same zones, with shop.example paused or not. */
  static EdgeConfig config(boolean shopPaused) {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < BIG_TXT_COUNT; i++) {
      big.append("      - { type: TXT, name: big, content: \"record ").append(i).append(' ')
          .append("x".repeat(90)).append("\" }\n");
    }
    for (int i = 0; i < MEDIUM_TXT_COUNT; i++) {
      big.append("      - { type: TXT, name: medium, content: \"record ").append(i).append(' ')
          .append("x".repeat(90)).append("\" }\n");
    }
    String yaml = """
        node: test
        listen:
          http: 127.0.0.1:8080
        dns: 127.0.0.1:0
        edge:
          addresses: [%s, %s, "%s"]
          egress: [127.0.0.2, 127.0.0.3/32]
        zones:
          - name: shop.example
            paused: %s
            records:
              - { type: A, name: "@", content: 192.0.2.1, proxied: true }
              - { type: A, name: www, content: 192.0.2.1, proxied: true }
              - { type: AAAA, name: v6only, content: "2001:db8:5::1", proxied: true }
              - { type: A, name: direct, content: 192.0.2.2, ttl: 120 }
              - { type: AAAA, name: direct, content: "2001:db8:5::2", ttl: 120 }
              - { type: CNAME, name: blog, content: origin.hosting.example, proxied: true }
              - { type: CNAME, name: docs, content: direct.shop.example, ttl: 600 }
              - { type: CNAME, name: ext, content: elsewhere.example.net }
              - { type: TXT, name: "@", content: "v=spf1 include:_spf.shop.example ~all" }
              - { type: MX, name: "@", content: mail.shop.example, priority: 10 }
              - { type: A, name: mail, content: 192.0.2.25 }
              - { type: CAA, name: "@", content: '0 issue "letsencrypt.org"' }
              - { type: SRV, name: _sip._tcp, content: "10 5 5060 sip.shop.example" }
              - { type: A, name: "*.apps", content: 192.0.2.30 }
              - { type: A, name: deep.a.b, content: 192.0.2.31 }
              - { type: NS, name: sub, content: ns.sub.shop.example }
              - { type: A, name: ns.sub, content: 192.0.2.53 }
              - { type: TXT, name: long, content: "%s" }
        %s
          - name: paused.example
            paused: true
            records:
              - { type: A, name: "@", content: 192.0.2.40, proxied: true }
              - { type: CNAME, name: www, content: origin.hosting.example, proxied: true }
          - name: flat.example
            records:
              - { type: CNAME, name: "@", content: www.shop.example }
          - name: flatdirect.example
            records:
              - { type: CNAME, name: "@", content: direct.shop.example, ttl: 60 }
          - name: outside.example
            records:
              - { type: CNAME, name: "@", content: elsewhere.example.net }
          - name: own-ns.example
            records:
              - { type: NS, name: "@", content: ns.provider.example }
        """.formatted(EDGE_V4_1, EDGE_V4_2, EDGE_V6, shopPaused, "y".repeat(300), big.toString().stripTrailing());
    try {
      return ConfigLoader.parse("test-zones.yaml", yaml);
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static Message query(String name, int type) {
    return query(name, type, DClass.IN);
  }

  static Message query(String name, int type, int dclass) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, dclass));
    } catch (TextParseException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
