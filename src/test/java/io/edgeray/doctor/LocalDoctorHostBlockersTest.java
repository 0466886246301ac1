package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.Cidr;
import io.edgeray.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor --local} reads the host-side blockers the 521/522 guides name beyond nft and
 * iptables: CSF and lfd, ModSecurity's audit log, firewalld's zones. The root is a directory of
 * sample files laid out as on a real host; absent tools are skipped, never passed.
 */
class LocalDoctorHostBlockersTest {
  private static final List<Cidr> EDGE = List.of(Cidr.parse("203.0.113.0/24"));

  @TempDir Path root;

  private Report examine() {
    return new LocalDoctor(new LocalDoctor.Settings(List.of(Ports.closedPort()), EDGE, Path.of("/proc"),
        List.of(root.resolve("no-such-error.log")), Duration.ofSeconds(3), Clock.systemUTC(), root)).examine();
  }

  private Path write(String relative, String text) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  private static CheckResult check(Report r, String id) {
    return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void absentCsfModSecurityAndFirewalldAreSkippedNeverPassed() {
    Report r = examine();

    assertThat(check(r, "csf").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(check(r, "csf").summary()).isEqualTo("CSF is not installed (no " + root.resolve("etc/csf") + ")");
    assertThat(check(r, "modsecurity").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(check(r, "modsecurity").summary()).startsWith("ModSecurity is not installed");
    assertThat(check(r, "firewalld").outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(check(r, "firewalld").summary()).isEqualTo("firewalld is not installed (no " + root.resolve("etc/firewalld") + ")");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aCsfDenyOfTheEdgesAddressIsTheFirewallBlockingTheEdge() throws Exception {
    write("etc/csf/csf.conf", "TESTING = \"0\"\n");
    write("etc/csf/csf.deny", "# csf.deny\n198.51.100.7 # lfd: (sshd) Failed SSH login\n"
        + "203.0.113.9 # lfd: (CT) IP 203.0.113.9 found to have 300 connections - Sun Nov 23 12:00:00 2026\n");

    Report r = examine();

    assertThat(r.verdict().cause()).isEqualTo(Cause.FIREWALL_BLOCKS_EDGE);
    assertThat(r.verdict().confidence()).isEqualTo(Confidence.HIGH);
    assertThat(r.verdict().evidence()).isEqualTo("csf.deny: 203.0.113.9 # lfd: (CT) IP 203.0.113.9 found to have 300 connections"
        + " - Sun Nov 23 12:00:00 2026");
    CheckResult csf = check(r, "csf");
    assertThat(csf.outcome()).isEqualTo(Outcome.PROBLEM);
    assertThat(csf.summary()).isEqualTo("1 CSF/lfd ban(s) of the edge's addresses");
    assertThat(csf.evidence()).contains("csf.deny: 2 entries");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aTemporaryCsfBanAndAnLfdBlockOfTheEdgeAreFound() throws Exception {
    write("var/lib/csf/csf.tempip", "203.0.113.20|80,443|in|1764590400|lfd: (PORTFLOOD) 203.0.113.20 port 443 hits\n");
    write("var/log/lfd.log", "Nov 23 12:00:00 origin lfd[811]: (CT) IP 198.51.100.1 (US/-) found to have 200 connections"
        + " - *Blocked in csf* for 1800 secs [CT_LIMIT]\n"
        + "Nov 23 12:01:00 origin lfd[811]: (CT) IP 203.0.113.21 (XX/-) found to have 400 connections - *Blocked in csf*"
        + " for 1800 secs [CT_LIMIT]\n");

    CsfCheck.Result r = CsfCheck.run(root, EDGE);

    assertThat(r.check().outcome()).isEqualTo(Outcome.PROBLEM);
    assertThat(r.edgeBlocked()).containsExactly(
        "csf.tempip: 203.0.113.20|80,443|in|1764590400|lfd: (PORTFLOOD) 203.0.113.20 port 443 hits",
        "lfd.log: Nov 23 12:01:00 origin lfd[811]: (CT) IP 203.0.113.21 (XX/-) found to have 400 connections - *Blocked in csf*"
            + " for 1800 secs [CT_LIMIT]");
  }

  @Test
  void csfListsWithoutTheEdgePassAndWithoutKnownRangesAreOnlyInformation() throws Exception {
    write("etc/csf/csf.deny", "198.51.100.7 # lfd: (sshd) Failed SSH login\n");

    assertThat(CsfCheck.run(root, EDGE).check().outcome()).isEqualTo(Outcome.PASSED);
    CheckResult unknown = CsfCheck.run(root, List.of()).check();
    assertThat(unknown.outcome()).isEqualTo(Outcome.INFO);
    assertThat(unknown.summary()).startsWith("CSF lists read; no edge ranges known");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void modSecurityDenyingTheEdgesAddressesIsTheOriginsWafBlockingTheEdge() throws Exception {
    write("var/log/apache2/modsec_audit.log", """
        --a1b2c3d4-A--
        [23/Nov/2026:12:00:00 +0000] aSdFgH 203.0.113.7 51234 192.0.2.1 443
        --a1b2c3d4-B--
        GET /wp-login.php HTTP/1.1
        Host: shop.example
        --a1b2c3d4-F--
        HTTP/1.1 403 Forbidden
        --a1b2c3d4-H--
        Message: Warning. Pattern match "(?i)wp-login" at REQUEST_URI. [file "/etc/modsecurity/crs/rules.conf"] [line "12"] [id "941100"] [msg "XSS Attack"]
        Message: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "80"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 5)"]
        Action: Intercepted (phase 2)
        --a1b2c3d4-Z--

        --e5f6a7b8-A--
        [23/Nov/2026:12:00:01 +0000] qWeRtY 198.51.100.3 40000 192.0.2.1 443
        --e5f6a7b8-H--
        Message: Access denied with code 403 (phase 2). [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 5)"]
        --e5f6a7b8-Z--

        --c9d0e1f2-A--
        [23/Nov/2026:12:00:02 +0000] zXcVbN 203.0.113.8 40001 192.0.2.1 443
        --c9d0e1f2-F--
        HTTP/1.1 200 OK
        --c9d0e1f2-Z--
        """);

    Report r = examine();

    CheckResult modsec = check(r, "modsecurity");
    assertThat(modsec.outcome()).isEqualTo(Outcome.PROBLEM);
    assertThat(modsec.summary()).isEqualTo("1 request(s) from the edge's addresses [203.0.113.7] denied by rules"
        + " [949110 (Inbound Anomaly Score Exceeded (Total Score: 5))]");
    assertThat(modsec.evidence().get(0)).endsWith("modsec_audit.log: 2 denied request(s) in the last 2 MiB, 1 from the edge's addresses");
    // nothing listens on the port, which is named first; the WAF denials follow
    assertThat(r.findings()).extracting(Finding::cause).containsSubsequence(Cause.WEB_SERVER_DOWN, Cause.ORIGIN_WAF_BLOCKS_EDGE);
    Finding waf = r.findings().stream().filter(f -> f.cause() == Cause.ORIGIN_WAF_BLOCKS_EDGE).findFirst().orElseThrow();
    assertThat(waf.evidence()).isEqualTo("ModSecurity denied 1 request(s) from the edge's addresses [203.0.113.7]; rules"
        + " [949110 (Inbound Anomaly Score Exceeded (Total Score: 5))]");
  }

  @Test
  void modSecurityJsonAuditLogWhereSecAuditLogPointsIsRead() throws Exception {
    write("etc/modsecurity/modsecurity.conf", "SecRuleEngine On\nSecAuditLog /var/log/waf/audit.json\nSecAuditLogFormat JSON\n");
    write("var/log/waf/audit.json", """
        {"transaction":{"client_ip":"203.0.113.30","time_stamp":"Sun Nov 23 12:00:00 2026","response":{"http_code":403},"messages":[{"message":"SQL Injection Attack Detected via libinjection","details":{"ruleId":"942100"}}]}}
        {"transaction":{"client_ip":"203.0.113.31","response":{"http_code":404},"messages":[]}}
        {"transaction":{"client_ip":"198.51.100.4","response":{"http_code":403},"messages":[{"message":"x","details":{"ruleId":"1"}}]}}
        """);

    ModSecurityCheck.Result r = ModSecurityCheck.run(root, EDGE);

    assertThat(r.check().outcome()).isEqualTo(Outcome.PROBLEM);
    assertThat(r.denials()).containsExactly(new ModSecurityCheck.Denial("203.0.113.30",
        List.of("942100 (SQL Injection Attack Detected via libinjection)")));
  }

  @Test
  void modSecurityConfiguredWithoutAReadableAuditLogIsSkipped() throws Exception {
    write("etc/modsecurity/modsecurity.conf", "SecRuleEngine On\nSecAuditLog /var/log/nowhere/audit.log\n");

    CheckResult c = ModSecurityCheck.run(root, EDGE).check();

    assertThat(c.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(c.summary()).startsWith("ModSecurity is configured but no audit log can be read");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aFirewalldRichRuleOrDropZoneSourceAgainstTheEdgeIsTheFirewallBlockingTheEdge() throws Exception {
    write("etc/firewalld/zones/public.xml", """
        <?xml version="1.0" encoding="utf-8"?>
        <zone>
          <short>Public</short>
          <service name="http"/>
          <service name="https"/>
          <rule family="ipv4">
            <source address="203.0.113.0/28"/>
            <port port="443" protocol="tcp"/>
            <reject type="icmp-port-unreachable"/>
          </rule>
          <rule family="ipv4">
            <source address="198.51.100.0/24"/>
            <drop/>
          </rule>
          <rule family="ipv4">
            <source address="203.0.113.50"/>
            <accept/>
          </rule>
        </zone>
        """);
    write("etc/firewalld/zones/drop.xml", """
        <?xml version="1.0" encoding="utf-8"?>
        <zone target="DROP">
          <short>Drop</short>
          <source address="203.0.113.77"/>
        </zone>
        """);

    Report r = examine();

    CheckResult fw = check(r, "firewalld");
    assertThat(fw.outcome()).isEqualTo(Outcome.PROBLEM);
    assertThat(fw.summary()).isEqualTo("2 firewalld zone source(s) or rich rule(s) drop or reject the edge's addresses");
    assertThat(fw.evidence()).contains("blocks the edge: zone drop (target DROP) has source 203.0.113.77 [drop.xml]",
        "blocks the edge: zone public: rich rule rejects source 203.0.113.0/28 [public.xml]");
    assertThat(r.verdict().cause()).isEqualTo(Cause.FIREWALL_BLOCKS_EDGE);
    assertThat(r.verdict().evidence()).isEqualTo("zone drop (target DROP) has source 203.0.113.77 [drop.xml]");
  }

  @Test
  void firewallCmdListAllZonesIsReadForDropZonesAndRichRules() {
    List<String> evidence = new java.util.ArrayList<>();
    List<String> blocked = new java.util.ArrayList<>();
    FirewalldCheck.listAllZones("""
        block
          target: %%REJECT%%
          sources: 203.0.113.5
        public (active)
          target: default
          interfaces: eth0
          sources: 203.0.113.6
          services: dhcpv6-client http https ssh
          rich rules:
        \trule family="ipv4" source address="203.0.113.128/25" service name="https" drop
        \trule family="ipv4" source address="198.51.100.9" drop
        """, EDGE, evidence, blocked);

    assertThat(blocked).containsExactly("zone block (target %%REJECT%%) has source 203.0.113.5 [firewall-cmd]",
        "zone public: rule family=\"ipv4\" source address=\"203.0.113.128/25\" service name=\"https\" drop [firewall-cmd]");
    assertThat(evidence).containsExactly("firewall-cmd --list-all-zones: 2 zone(s)");
  }
}
