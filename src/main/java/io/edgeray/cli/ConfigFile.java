package io.edgeray.cli;

import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.ConfigPaths;
import io.edgeray.config.EdgeConfig;
import java.nio.file.Path;

/**
 * The config file of a command, read the same way by every command: the default is
 * {@code config/edgeray.yaml} beside the install; a file that cannot be read at all exits
 * {@value #CANNOT_READ} naming the absolute path tried, a file that is wrong exits
 * {@value #INVALID} with {@code file:line: key: problem}.
 */
final class ConfigFile {
  static final int INVALID = 1;
  static final int CANNOT_READ = 2;

  /** What the command exits with once the problem is printed. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Unusable(int exitCode) {
      super(null, null, false, false);
      this.exitCode = exitCode;
    }
  }

  private ConfigFile() {}

  /** For {@code --config}: the default, shown in the help. */
  static Path defaultPath() {
    return ConfigPaths.defaultConfig();
  }

  static EdgeConfig load(Path path) throws Unusable {
    try {
      return ConfigLoader.load(path);
    } catch (ConfigException e) {
      if (e.unreadable()) {
        boolean isDefault = path.toAbsolutePath().normalize().equals(defaultPath().toAbsolutePath().normalize());
        System.err.println("edgeray: " + e.getMessage()
            + (isDefault ? " (the default, config/edgeray.yaml beside the install; name another with --config FILE)" : ""));
        throw new Unusable(CANNOT_READ);
      }
      System.err.println(e.getMessage());
      throw new Unusable(INVALID);
    }
  }
}
