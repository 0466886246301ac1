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
    CommandLine cl = new CommandLine(new Main());
    summarize(cl);
    return cl.execute(args);
  }

  /**
   * The command list of a help page shows each subcommand's first description line, which for a
   * description wrapped over lines is the middle of a sentence: give every subcommand without a
   * header its description's first sentence, whole, as the header.
   */
  private static void summarize(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      var usage = sub.getCommandSpec().usageMessage();
      if (usage.header().length == 0 && usage.description().length > 1) {
        String all = String.join(" ", usage.description());
        int end = all.indexOf(". ");
        usage.header(end < 0 ? all : all.substring(0, end + 1));
      }
      summarize(sub);
    }
  }
}
