package io.edgeray.cli;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
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
@Command(name = "ips", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {
    "Print the edge's egress ranges (edge.egress) as an origin-side allowlist and real-IP snippet.",
    "Formats: nginx (set_real_ip_from and real_ip_header, plus a geo block on $realip_remote_addr that",
    "answers 403 to every other connection), apache (mod_remoteip, plus Require expr on CONN_REMOTE_ADDR),",
    "iptables, nft, ufw (only the edge may connect to the zones' origin ports). Without --format:",
    "one block a line, IPv4 then IPv6.",
    "Exit code: 0 printed, 1 the config is wrong or has no egress ranges, 2 the config cannot be read."})
final class IpsCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})")
  Path config = ConfigFile.defaultPath();

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
    EdgeConfig c;
    try {
      c = ConfigFile.load(config);
    } catch (ConfigFile.Unusable e) {
      return e.exitCode;
    }
    EdgeRanges ranges = EdgeRanges.of(c.edge());
    if (ranges.ipv4().isEmpty() && ranges.ipv6().isEmpty()) {
      // an allowlist of nobody would shut the edge out too: the firewall formats would drop everything
      System.err.println("edgeray ips: no egress is configured in " + config.toAbsolutePath().normalize()
          + (f == null ? "" : ", so there is nothing to let in and no " + format + " rules are printed")
          + ". Add the addresses the edge connects to origins from, for example\n"
          + "    edge: { egress: [203.0.113.10] }\n"
          + "(see ./edgeray ips --help and the README's section on the edge's published addresses)");
      return 1;
    }
    System.out.print(f == null ? ranges.ipv4Text() + ranges.ipv6Text()
        : AllowlistFormats.render(f, ranges, AllowlistFormats.originPorts(c)));
    System.out.flush();
    return 0;
  }
}
