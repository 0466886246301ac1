package io.edgeray.cli;

import io.edgeray.doctor.DoctorCommand;
import io.edgeray.tls.CertCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgeray}: the command line. */
@Command(name = "edgeray", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "A CDN edge that says exactly why the origin failed.",
    subcommands = {ServeCommand.class, CheckConfigCommand.class, DoctorCommand.class, IpsCommand.class, CertCommand.class,
        SelfTestCommand.class,
        VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
