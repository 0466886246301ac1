package io.edgeray.cli;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.FleetSettings;
import io.edgeray.fleet.FleetConfigStore;
import io.edgeray.fleet.SharedConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fleet", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {"Keep a fleet's shared config on etcd: import a config file's zones, records, pools and rules; export them.",
        "Every node with a fleet: section watches them and applies a change within a second."},
    subcommands = {FleetCommand.Import.class, FleetCommand.Export.class})
final class FleetCommand implements Callable<Integer> {
  static final int UNREACHABLE = 3;

  @Override
  public Integer call() {
    System.err.println("edgeray fleet: name a subcommand: import FILE or export (see edgeray fleet --help)");
    return 2;
  }

  /** Where etcd is: the options, else the config file's fleet section, else etcd's default address. */
  static final class Store {
    @Option(names = "--etcd", paramLabel = "URL", split = ",", description = "etcd endpoints (default: the config's fleet.etcd, else http://127.0.0.1:2379)")
    List<URI> etcd;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "key prefix (default: the config's fleet.prefix, else /edgeray)")
    String prefix;

    FleetConfigStore open(FleetSettings fromFile) {
      List<URI> endpoints = etcd != null ? etcd
          : fromFile != null ? fromFile.etcd() : List.of(URI.create("http://127.0.0.1:2379"));
      String p = prefix != null ? prefix : fromFile != null ? fromFile.prefix() : "/edgeray";
      return new FleetConfigStore(endpoints, p);
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = {"Validate FILE exactly as check-config does, then write its shared keys (zones, pools, ip_access,",
          "timeouts, headers) to etcd as the fleet's config. Node-local keys (node, listen, admin, access_log, edge,",
          "dns, limits, resolver, fleet) stay in each node's own file.",
          "Exit code: 0 imported, 1 FILE has a problem, 2 FILE cannot be read, 3 etcd does not answer."})
  static final class Import implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "a whole config file (it must pass check-config)")
    Path file;

    @picocli.CommandLine.Mixin
    Store store = new Store();

    @Override
    public Integer call() throws IOException {
      EdgeConfig config;
      try {
        config = ConfigFile.load(file);
      } catch (ConfigFile.Unusable e) {
        return e.exitCode;
      }
      String shared = FleetConfigStore.sharedPart(Files.readString(file, StandardCharsets.UTF_8));
      if (shared.isBlank()) {
        System.err.println(file + ": has none of the fleet's keys (zones, pools, ip_access, timeouts, headers)");
        return 1;
      }
      try (FleetConfigStore s = store.open(config.fleet())) {
        long revision = s.write(shared);
        boolean secretCreated = s.ensureSecret(); // nodes call each other's admin API with it (doctor --fleet)
        int records = config.zones().stream().mapToInt(z -> z.records().size()).sum();
        System.out.printf("%s: imported to %s at revision %d (%d zones, %d records, %d pools)%n", file, s.key(), revision,
            config.zones().size(), records, config.pools().size());
        if (secretCreated) System.out.println("created the fleet's node-to-node secret (nodes call each other's admin API with it)");
        return 0;
      } catch (FleetConfigStore.Unreachable e) {
        System.err.println("edgeray fleet import: " + e.getMessage());
        return UNREACHABLE;
      }
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = {"Print the fleet's config as etcd holds it (the shared keys, as YAML).",
          "Exit code: 0 printed, 1 nothing imported yet, 3 etcd does not answer."})
  static final class Export implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "a node's config, for its fleet section")
    Path config;

    @picocli.CommandLine.Mixin
    Store store = new Store();

    @Override
    public Integer call() {
      FleetSettings fromFile = null;
      if (config != null) {
        try {
          fromFile = ConfigFile.load(config).fleet();
        } catch (ConfigFile.Unusable e) {
          return e.exitCode;
        }
      }
      try (FleetConfigStore s = store.open(fromFile)) {
        SharedConfig c = s.read();
        if (c == null) {
          System.err.println("edgeray fleet export: nothing under " + s.key() + " yet (edgeray fleet import FILE writes it)");
          return 1;
        }
        System.out.print("# " + s.key() + " at etcd revision " + c.revision() + "\n" + c.yaml());
        return 0;
      } catch (FleetConfigStore.Unreachable e) {
        System.err.println("edgeray fleet export: " + e.getMessage());
        return UNREACHABLE;
      }
    }
  }
}
