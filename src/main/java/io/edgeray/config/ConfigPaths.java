package io.edgeray.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the default config is: {@code config/edgeray.yaml} beside the install, not in whatever
 * directory the command was started from. The install is the {@code edgeray.home} system
 * property (the launcher sets it), else {@code EDGERAY_HOME}, else the directory of the jar (its
 * parent when the jar sits in Maven's {@code target/}).
 */
public final class ConfigPaths {
  public static final String DEFAULT_RELATIVE = "config/edgeray.yaml";

  private ConfigPaths() {}

  public static Path defaultConfig() {
    return home().resolve(DEFAULT_RELATIVE);
  }

  public static Path home() {
    String prop = System.getProperty("edgeray.home");
    if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
    String env = System.getenv("EDGERAY_HOME");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
    try {
      Path code = Path.of(ConfigPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(code) ? code.getParent() : code.getParent(); // target/classes or target/edgeray.jar
      if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("target")) dir = dir.getParent();
      if (dir != null) return dir.toAbsolutePath().normalize();
    } catch (URISyntaxException | RuntimeException e) {
      // no code source to go by (an unusual class loader): fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }
}
