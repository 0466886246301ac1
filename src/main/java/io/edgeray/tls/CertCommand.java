package io.edgeray.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgeray cert}: certificates for the HTTPS listener. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificates for the HTTPS listener.", subcommands = CertCommand.SelfSigned.class)
public final class CertCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: self-signed");
  }

  @Command(name = "self-signed", mixinStandardHelpOptions = true,
      description = {"Write a self-signed development certificate for NAME and *.NAME (NAME.crt and NAME.key).",
          "An existing key or certificate is kept unless --force is given. Exit code: 0 written, 1 refused, 2 bad arguments."})
  static final class SelfSigned implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    @Parameters(paramLabel = "NAME", description = "the zone's name, for example shop.example")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "directory to write to (default: certs/ beside the install, ${DEFAULT-VALUE})")
    Path out = io.edgeray.config.ConfigPaths.home().resolve("certs");

    @Option(names = "--days", paramLabel = "N", defaultValue = "90", description = "days of validity (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "replace an existing NAME.crt and NAME.key")
    boolean force;

    @Override
    public Integer call() throws Exception {
      String n = name.toLowerCase(Locale.ROOT);
      if (!NAME.matcher(n).matches()) {
        System.err.println("\"" + name + "\" is not a host name");
        return 2;
      }
      if (days < 1) {
        System.err.println("--days must be at least 1");
        return 2;
      }
      if (!force) {
        for (Path existing : new Path[] {out.resolve(n + ".key"), out.resolve(n + ".crt")}) {
          if (Files.exists(existing)) {
            System.err.println("edgeray cert: " + existing.toAbsolutePath().normalize()
                + " already exists; nothing was written (a key in use would be lost). Use --force to replace it.");
            return 1;
          }
        }
      }
      DevCertificate.Written w = DevCertificate.write(n, out, Duration.ofDays(days));
      System.out.println("wrote " + w.cert() + " and " + w.key());
      System.out.println(CertificateDescription.describe(w.certificate()));
      System.out.println("use it in the zone " + n + ":");
      System.out.println("    certificate: { cert: " + w.cert().toAbsolutePath() + ", key: " + w.key().toAbsolutePath() + " }");
      return 0;
    }
  }
}
