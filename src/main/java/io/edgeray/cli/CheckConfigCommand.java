package io.edgeray.cli;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {"Validate a config file; print the first problem as file:line: key: what is wrong.",
        "Exit code: 0 valid, 1 a problem was found, 2 the file cannot be read."})
final class CheckConfigCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "the config file")
  Path file;

  @Override
  public Integer call() {
    try {
      EdgeConfig c = ConfigFile.load(file);
      int records = c.zones().stream().mapToInt(z -> z.records().size()).sum();
      System.out.printf("%s: ok (node %s, %d zones, %d records)%n", file, c.node(), c.zones().size(), records);
      return 0;
    } catch (ConfigFile.Unusable e) {
      return e.exitCode;
    }
  }
}
