package io.edgeray.cli;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.firewall.AllowlistFormats;
import io.edgeray.firewall.EdgeRanges;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints what an origin host needs to trust the edge: the allowlist of the edge's egress ranges
 * and the real-visitor-address settings, in the syntax of the origin's web server or firewall.
 */
@Command(name = "ips", description = {
    "Print the edge's egress ranges as an origin-side allowlist and real-IP snippet.",
    "Formats: nginx (set_real_ip_from + allow/deny), apache (mod_remoteip + Require ip),",
    "iptables, nft, ufw. Without --format: one block a line, IPv4 then IPv6."})
final class IpsCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})",
      defaultValue = "config/edgeray.yaml")
  Path config;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "nginx, apache, iptables, nft or ufw")
  String format;

  @Override
  public Integer call() {
    AllowlistFormats.Format f;
    try {
      f = format == null ? null : AllowlistFormats.Format.parse(format);
    } catch (IllegalArgumentException e) {
      System.err.println("edgeray ips: " + e.getMessage());
      return 2;
    }
    EdgeRanges ranges;
    try {
      ranges = EdgeRanges.of(ConfigLoader.load(config).edge());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    System.out.print(f == null ? ranges.ipv4Text() + ranges.ipv6Text() : AllowlistFormats.render(f, ranges));
    System.out.flush();
    return 0;
  }
}
