package io.edgeray.doctor;

import java.util.List;
import java.util.Locale;

/**
 * The closed set of verdicts: the usual causes of an origin failure, each with the symptom a
 * visitor sees, where the fix belongs and what to do next. This is the symptom, cause and
 * where-to-fix table every 52x guide prints, as data the report fills in for one case.
 */
public enum Cause {
  HEALTHY("the origin answers directly and through the edge", "none", "nothing to fix",
      List.of("Nothing to do. If visitors still see errors, run the doctor again while it happens and keep the ray ids.")),
  HOST_NOT_SERVED("the host is not served by this edge", "530 (1001)", "edge config: zones and proxied records",
      List.of("Add the zone or a proxied A/AAAA/CNAME record for the host to the edge config, then reload.")),
  ROUTING_LOOP("the origin address and port lead back to the edge itself (a loop)", "403 (1000)",
      "edge config: the record's content, or the zone's origin_ports",
      List.of("Point the record at the origin's own address, not at an address of the edge.",
          "If the address is the origin's, set the zone's origin_ports to the ports the web server listens on, not the edge's own listener ports.")),
  ORIGIN_NAME_UNRESOLVABLE("the origin's name does not resolve", "530 (1016)", "DNS of the name the CNAME points at",
      List.of("Fix the CNAME target or its DNS records so the name resolves to the origin.")),
  FIREWALL_BLOCKS_EDGE("a firewall on the origin blocks the edge's addresses", "521 (REJECT) or 522 (DROP)",
      "origin host firewall (nft, iptables, ufw, fail2ban) or the hosting provider's firewall",
      List.of("Allow the edge's egress addresses (edgeray publishes them at /ips-v4 and /ips-v6) on the web ports.",
          "Check fail2ban or rate-limit rules that may have banned the edge's addresses.")),
  SSL_MODE_PORT("the zone's SSL mode uses a port where nothing listens", "521", "edge config: the zone's ssl mode or origin_ports",
      List.of("Change the zone's ssl mode to one that uses the port the origin serves, or make the origin listen on the port the mode uses.")),
  RECORD_WRONG_ADDRESS("the record points at the wrong address", "521, 522 or 523", "edge config / DNS: the record's content",
      List.of("Put the origin's real address in the record (the one where the web server answers).")),
  LISTENS_ON_LOOPBACK_ONLY("the web server listens only on a loopback address, not on the address the record points at", "521",
      "web server config (nginx listen, Apache Listen, the app's bind address)",
      List.of("Make the web server listen on the public address (or 0.0.0.0 / [::]) on the web port, then restart it.")),
  WEB_SERVER_DOWN("the web server is not running, or not listening on the port", "521",
      "origin host: the web server service",
      List.of("Start the web server (systemctl start nginx / apache2) and check it listens on the port.",
          "Run `edgeray doctor --local` on the origin host to see listeners, processes and firewall rules.")),
  ORIGIN_OVERLOADED("the origin is overloaded: its accept queue is full, new connections are dropped", "522",
      "origin host: web server worker and connection limits, load",
      List.of("Raise the web server's workers or connection limits and the listen backlog, or reduce the load.",
          "Look at the web server's error log for worker or file-descriptor limits.")),
  ORIGIN_NOT_ANSWERING("the origin does not answer the TCP handshake (overloaded, or a firewall drops everyone)", "522",
      "origin host: load, firewall DROP rules, or the hosting provider's network",
      List.of("Check that the origin host is up and not overloaded; look for DROP rules on the web ports.",
          "Run `edgeray doctor --local` on the origin host.")),
  ORIGIN_UNREACHABLE("there is no route to the origin's address", "523", "network path, or the record's address",
      List.of("Check the record's address is the origin's; ask the hosting provider whether the network is up.")),
  TLS_CERTIFICATE_INVALID("the origin's certificate is not valid for the zone's SSL mode", "526",
      "origin host: its TLS certificate (or the zone's ssl mode / origin_ca)",
      List.of("Install a valid certificate for the host on the origin (renew it if expired), or add its issuer as origin_ca.",
          "As a stop-gap, the zone's ssl mode full accepts any certificate (the connection stays encrypted, not authenticated).")),
  TLS_HANDSHAKE_FAILED("the TLS handshake with the origin fails", "525", "origin host: its TLS configuration",
      List.of("Make the origin serve TLS 1.2 or 1.3 on the HTTPS port, or use ssl: flexible if it only serves HTTP.")),
  ORIGIN_WAF_BLOCKS_EDGE("the origin's web application firewall (ModSecurity) denies requests from the edge's addresses",
      "403 (or another 4xx/5xx) from the origin, passed through", "origin host: ModSecurity rules and its view of the client address",
      List.of("Exempt the edge's egress ranges from the rules that fired, or make the web server take the visitor's address from"
          + " Edge-Connecting-IP (mod_remoteip, nginx real_ip) for trusted edge addresses, so one bad visitor does not ban the edge.")),
  ORIGIN_SLOW("the origin accepts the request but does not answer in time", "524", "origin application",
      List.of("Find the slow requests in the origin's logs; move long jobs out of the request path.")),
  ORIGIN_BAD_ANSWER("the origin closes the connection or answers with something that is not HTTP", "520",
      "origin application or web server",
      List.of("Check the origin's error log at the times shown; look for crashes and response header limits.")),
  ORIGIN_ERROR_STATUS("the origin itself answers with a server error", "5xx from the origin, passed through",
      "origin application", List.of("Check the origin application's error log.")),
  EDGE_ONLY_FAILURE("the edge fails to reach the origin while a direct probe succeeds", "52x",
      "between the edge and the origin", List.of("Compare the egress check; look at the access-log history for the failure class."));

  private final String verdict;
  private final String symptom;
  private final String whereToFix;
  private final List<String> nextSteps;

  Cause(String verdict, String symptom, String whereToFix, List<String> nextSteps) {
    this.verdict = verdict;
    this.symptom = symptom;
    this.whereToFix = whereToFix;
    this.nextSteps = nextSteps;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String verdict() {
    return verdict;
  }

  public String symptom() {
    return symptom;
  }

  public String whereToFix() {
    return whereToFix;
  }

  public List<String> nextSteps() {
    return nextSteps;
  }
}
