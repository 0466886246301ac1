package io.edgeray.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {

  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return "edgeray " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")";
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
