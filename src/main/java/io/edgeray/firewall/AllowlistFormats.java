package io.edgeray.firewall;

import io.edgeray.config.Cidr;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.config.PoolSpec;
import io.edgeray.config.SslMode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The edge's ranges written for the tools an origin uses to let only the edge in, and to log the
 * visitor's address instead of the edge's. Each output says in comments where it goes.
 *
 * <p>nginx and Apache: the real-IP setting puts the visitor's address in place of the edge's
 * before access checks run, so {@code allow}/{@code deny} (nginx) and {@code Require ip} (Apache)
 * would check the visitor and shut the edge out. The allowlists here check the connection's own
 * address instead: {@code $realip_remote_addr} in nginx, {@code CONN_REMOTE_ADDR} in Apache.
 */
public final class AllowlistFormats {
  private static final String HEADER = "Edge-Connecting-IP";
  /** The origin ports when no zone says otherwise: HTTP and HTTPS. */
  public static final List<Integer> DEFAULT_PORTS = List.of(80, 443);

  public enum Format {
    NGINX, APACHE, IPTABLES, NFT, UFW;

    /** {@code nginx}, {@code nft}…, in any case, as written on the command line. */
    public static Format parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"" + name + "\" is not a format (nginx, apache, iptables, nft, ufw)");
      }
    }
  }

  private AllowlistFormats() {}

  public static String render(Format format, EdgeRanges ranges) {
    return render(format, ranges, DEFAULT_PORTS);
  }

  /** {@code ports}: the TCP ports the firewall formats keep for the edge (the zones' origin ports). */
  public static String render(Format format, EdgeRanges ranges, List<Integer> ports) {
    String p = ports.stream().distinct().sorted().map(String::valueOf).collect(Collectors.joining(","));
    return switch (format) {
      case NGINX -> nginxRealIp(ranges) + "\n" + nginxAllowlist(ranges);
      case APACHE -> apacheRemoteIp(ranges) + "\n" + apacheAllowlist(ranges);
      case IPTABLES -> iptables(ranges, p);
      case NFT -> nft(ranges, p);
      case UFW -> ufw(ranges, p);
    };
  }

  /**
   * The TCP ports the edge connects to on origins: each zone's origin ports as its SSL mode uses
   * them (off and flexible: HTTP only; strict: HTTPS only; full: both) and every pool origin's
   * port; 80 and 443 when there is no zone.
   */
  public static List<Integer> originPorts(EdgeConfig config) {
    java.util.TreeSet<Integer> ports = new java.util.TreeSet<>();
    for (Zone z : config.zones()) {
      SslMode mode = z.tls().ssl();
      if (mode != SslMode.STRICT) ports.add(z.originPorts().http());
      if (mode != SslMode.OFF && mode != SslMode.FLEXIBLE) ports.add(z.originPorts().https());
    }
    for (PoolSpec p : config.pools()) p.origins().forEach(o -> ports.add(o.port()));
    return ports.isEmpty() ? DEFAULT_PORTS : List.copyOf(ports);
  }

  /** The nginx lines for the {@code http {}} block: real visitor address, and who is the edge. */
  public static String nginxRealIp(EdgeRanges ranges) {
    StringBuilder out = new StringBuilder(banner("nginx", ranges))
        .append("#\n")
        .append("# Part 1 of 2: in the http {} block, for example /etc/nginx/conf.d/edgeray.conf.\n")
        .append("# On connections from the edge, the visitor's address from the ").append(HEADER).append("\n")
        .append("# header becomes $remote_addr (logs, limits, the application); $edgeray_edge is 1\n")
        .append("# when the connection itself comes from the edge.\n");
    all(ranges).forEach(c -> out.append("set_real_ip_from ").append(c).append(";\n"));
    out.append("real_ip_header ").append(HEADER).append(";\n")
        .append("geo $realip_remote_addr $edgeray_edge {\n")
        .append("    default 0;\n");
    all(ranges).forEach(c -> out.append("    ").append(c).append(" 1;\n"));
    return out.append("}\n").toString();
  }

  /** The nginx lines for each {@code server {}} block the edge proxies to: refuse everyone else. */
  public static String nginxAllowlist(EdgeRanges ranges) {
    return "# Part 2 of 2: in each server {} block the edge sends traffic to, for example\n"
        + "# include /etc/nginx/snippets/edgeray-allow.conf; Everyone but the edge gets 403.\n"
        + "# Not \"allow ...; deny all;\": those check $remote_addr, which part 1 has already\n"
        + "# replaced with the visitor's address, so they would refuse the edge itself.\n"
        + "if ($edgeray_edge = 0) {\n"
        + "    return 403;\n"
        + "}\n";
  }

  /** The Apache lines for the server config or each {@code <VirtualHost>}: real visitor address. */
  public static String apacheRemoteIp(EdgeRanges ranges) {
    StringBuilder out = new StringBuilder(banner("Apache httpd 2.4", ranges))
        .append("#\n")
        .append("# Part 1 of 2: in the server config or each <VirtualHost> (needs mod_remoteip:\n")
        .append("# a2enmod remoteip). On connections from the edge, the visitor's address from the\n")
        .append("# ").append(HEADER).append(" header replaces the edge's for logs (%a) and the application.\n")
        .append("RemoteIPHeader ").append(HEADER).append("\n");
    all(ranges).forEach(c -> out.append("RemoteIPTrustedProxy ").append(c).append("\n"));
    return out.toString();
  }

  /** The Apache lines for each site's {@code <Location>} or {@code <Directory>}: refuse everyone else. */
  public static String apacheAllowlist(EdgeRanges ranges) {
    StringBuilder out = new StringBuilder()
        .append("# Part 2 of 2: inside the <Location \"/\"> (or <Directory>) of each site the edge sends\n")
        .append("# traffic to. Everyone but the edge gets 403. Not \"Require ip\": mod_remoteip has\n")
        .append("# already put the visitor's address in its place, so it would refuse the edge itself;\n")
        .append("# CONN_REMOTE_ADDR is the address of the connection.\n")
        .append("<RequireAny>\n");
    all(ranges).forEach(c ->
        out.append("    Require expr \"%{CONN_REMOTE_ADDR} -ipmatch '").append(c).append("'\"\n"));
    if (all(ranges).findAny().isEmpty()) out.append("    Require all denied\n");
    return out.append("</RequireAny>\n").toString();
  }

  private static String iptables(EdgeRanges ranges, String ports) {
    StringBuilder out = new StringBuilder(banner("iptables", ranges))
        .append("#\n")
        .append("# Run as root. Only the edge may open connections to TCP ports ").append(ports).append(";\n")
        .append("# other ports are untouched. Running it again replaces the EDGERAY chains' rules.\n");
    iptablesFamily(out, "iptables", ranges.ipv4(), ports);
    iptablesFamily(out, "ip6tables", ranges.ipv6(), ports);
    return out.toString();
  }

  private static void iptablesFamily(StringBuilder out, String command, List<Cidr> blocks, String ports) {
    out.append(command).append(" -N EDGERAY 2>/dev/null || ").append(command).append(" -F EDGERAY\n");
    blocks.forEach(c -> out.append(command).append(" -A EDGERAY -s ").append(c).append(" -j ACCEPT\n"));
    out.append(command).append(" -A EDGERAY -j DROP\n");
    String jump = " INPUT -p tcp -m multiport --dports " + ports + " -j EDGERAY";
    out.append(command).append(" -C").append(jump).append(" 2>/dev/null || ")
        .append(command).append(" -I").append(jump).append("\n");
  }

  /** A whole nftables file; loading it again replaces the table, other tables are untouched. */
  private static String nft(EdgeRanges ranges, String ports) {
    StringBuilder out = new StringBuilder(banner("nftables", ranges))
        .append("#\n")
        .append("# Load with: nft -f edgeray.nft (as root). Only the edge may open connections to TCP\n")
        .append("# ports ").append(ports).append("; other ports are untouched.\n")
        .append("# The first two lines make loading it again replace the table instead of adding to it.\n")
        .append("table inet edgeray\n")
        .append("delete table inet edgeray\n")
        .append("table inet edgeray {\n");
    nftSet(out, "edge4", "ipv4_addr", ranges.ipv4());
    nftSet(out, "edge6", "ipv6_addr", ranges.ipv6());
    String dports = "tcp dport { " + ports.replace(",", ", ") + " }";
    return out.append("\tchain input {\n")
        .append("\t\ttype filter hook input priority filter; policy accept;\n")
        .append("\t\t").append(dports).append(" ip saddr @edge4 accept\n")
        .append("\t\t").append(dports).append(" ip6 saddr @edge6 accept\n")
        .append("\t\t").append(dports).append(" drop\n")
        .append("\t}\n")
        .append("}\n").toString();
  }

  private static void nftSet(StringBuilder out, String name, String type, List<Cidr> blocks) {
    out.append("\tset ").append(name).append(" {\n")
        .append("\t\ttype ").append(type).append("\n")
        .append("\t\tflags interval\n")
        .append("\t\tauto-merge\n"); // overlapping blocks are merged instead of refused
    if (!blocks.isEmpty()) { // nft refuses "elements = { }"
      out.append("\t\telements = { ")
          .append(blocks.stream().map(Cidr::toString).collect(Collectors.joining(", ")))
          .append(" }\n");
    }
    out.append("\t}\n");
  }

  private static String ufw(EdgeRanges ranges, String ports) {
    StringBuilder out = new StringBuilder(banner("ufw", ranges))
        .append("#\n")
        .append("# Run as root. ufw uses the first rule that matches, in order: the allows come before\n")
        .append("# the deny, and an earlier rule letting anyone reach ports ").append(ports).append(" (see\n")
        .append("# ufw status numbered) would still win, so delete that one.\n");
    all(ranges).forEach(c -> out.append("ufw allow from ").append(c)
        .append(" to any port ").append(ports).append(" proto tcp comment 'edgeray edge'\n"));
    return out.append("ufw deny proto tcp from any to any port ").append(ports)
        .append(" comment 'edgeray: only the edge'\n").toString();
  }

  private static String banner(String tool, EdgeRanges ranges) {
    String note = all(ranges).findAny().isPresent() ? ""
        : "# No edge ranges are configured (edge.egress is empty): nothing is let in.\n";
    return "# edgeray edge ranges for " + tool + " (etag " + ranges.etag() + ", as served at /api/ips)\n" + note;
  }

  private static Stream<Cidr> all(EdgeRanges ranges) {
    return Stream.concat(ranges.ipv4().stream(), ranges.ipv6().stream());
  }
}
