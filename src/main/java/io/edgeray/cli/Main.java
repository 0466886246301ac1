package io.edgeray.cli;

import io.edgeray.doctor.DoctorCommand;
import io.edgeray.tls.CertCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgeray}: the command line. */
@Command(name = "edgeray", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "A CDN edge that says exactly why the origin failed.",
    subcommands = {ServeCommand.class, CheckConfigCommand.class, DoctorCommand.class, IncidentsCommand.class, IpsCommand.class,
        CertCommand.class, SelfTestCommand.class, TokenCommand.class, PurgeCommand.class, FleetCommand.class,
        VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    // Netty's own JFR events (buffer allocations) are for debugging Netty. Left on, its allocator
    // registers them at the first buffer, which loads some 90 JFR classes and generates handler
    // classes with ASM that the JIT then compiles: a tenth of a second of CPU at every start.
    // -Dio.netty.jfr.enabled=true brings them back.
    if (System.getProperty("io.netty.jfr.enabled") == null) System.setProperty("io.netty.jfr.enabled", "false");
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    summarize(cl);
    return cl.execute(args);
  }

  /**
   * The command list of a help page shows each subcommand's first description line, which for a
   * description wrapped over lines is the middle of a sentence: list each with the whole first
   * sentence of its description instead.
   */
  private static void summarize(CommandLine cl) {
    cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> {
      if (help.subcommands().isEmpty()) return "";
      int nameWidth = help.subcommands().keySet().stream().mapToInt(String::length).max().orElse(8) + 4;
      int width = help.commandSpec().usageMessage().width();
      CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
          new CommandLine.Help.Column(nameWidth, 2, CommandLine.Help.Column.Overflow.SPAN),
          new CommandLine.Help.Column(width - nameWidth, 2, CommandLine.Help.Column.Overflow.WRAP));
      help.subcommands().forEach((name, sub) -> table.addRowValues(name, firstSentence(sub.commandSpec().usageMessage())));
      return table.toString();
    });
    for (CommandLine sub : cl.getSubcommands().values()) summarize(sub);
  }

  private static String firstSentence(CommandLine.Model.UsageMessageSpec usage) {
    String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
    String all = String.join(" ", lines);
    int end = all.indexOf(". ");
    return end < 0 ? all : all.substring(0, end + 1);
  }
}
