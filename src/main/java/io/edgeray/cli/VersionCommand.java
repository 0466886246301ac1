package io.edgeray.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code edgeray version}: the version and the git commit it was built from, as the build wrote
 * them into the jar's manifest ({@code Implementation-Version}, {@code Edgeray-Commit}); outside a
 * jar (tests, an IDE) from the {@code version.properties} the build filtered.
 */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Print the version and the commit it was built from.")
final class VersionCommand implements Callable<Integer> {

  static String version() {
    String[] vc = fromManifest();
    if (vc == null) vc = fromProperties();
    String v = vc == null || vc[0] == null ? "dev" : vc[0];
    String commit = vc == null || vc[1] == null ? "unknown" : vc[1];
    return "edgeray " + v + " (commit " + commit + ", Java " + Runtime.version() + ")";
  }

  private static String[] fromManifest() {
    try {
      Path code = Path.of(VersionCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(code)) return null;
      try (JarFile jar = new JarFile(code.toFile())) {
        Manifest m = jar.getManifest();
        if (m == null || m.getMainAttributes().getValue("Implementation-Version") == null) return null;
        String commit = m.getMainAttributes().getValue("Edgeray-Commit");
        return new String[] {m.getMainAttributes().getValue("Implementation-Version"),
            commit == null || commit.startsWith("${") ? null : commit};
      }
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static String[] fromProperties() {
    try (InputStream in = VersionCommand.class.getResourceAsStream("/io/edgeray/version.properties")) {
      if (in == null) return null;
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      String c = p.getProperty("commit");
      return new String[] {v == null || v.startsWith("${") ? null : v, c == null || c.startsWith("${") ? null : c};
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public Integer call() {
    System.out.println(version());
    return 0;
  }

  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
