package io.edgeray.cli;

import io.edgeray.admin.Tokens;
import io.edgeray.config.AdminToken;
import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Scope;
import io.edgeray.config.load.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgeray token}: admin API tokens. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Admin API tokens.", subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: create");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Make an admin API token: print it once, and the line with its hash to add under admin.tokens.",
          "The config keeps only the hash, so the token cannot be shown again; nothing is written (the YAML stays",
          "yours: add the line, then reload).",
          "On a fleet node (the config has a fleet: section) the hash is added to the fleet's admin_tokens on etcd",
          "instead, and the token works on every node of the fleet within a second.",
          "Exit code: 0 made, 1 a token of that name is already in the config, 2 bad arguments, 3 etcd does not answer."})
  static final class Create implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Parameters(paramLabel = "NAME", description = "who or what uses it (the audit log shows it), for example ci or alice")
    String name;

    @Option(names = "--scope", paramLabel = "SCOPE", required = true, description = "read (look only) or edit (change too)")
    String scope;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config the token is for (default: ${DEFAULT-VALUE})")
    Path config = ConfigFile.defaultPath();

    @Override
    public Integer call() {
      Scope s = Scope.parse(scope);
      if (s == null) {
        System.err.println("edgeray token create: --scope must be read or edit, not \"" + scope + "\"");
        return 2;
      }
      if (!NAME.matcher(name).matches()) {
        System.err.println("edgeray token create: \"" + name + "\" must be 1 to 64 letters, digits, dots, dashes or underscores");
        return 2;
      }
      EdgeConfig c = null;
      if (Files.isReadable(config)) {
        try {
          c = ConfigLoader.loadForDiagnosis(config);
          if (c.admin() != null && c.admin().tokens().stream().map(AdminToken::name).anyMatch(name::equals)) {
            System.err.println("edgeray token create: " + config + " already has a token named " + name
                + "; pick another name, or delete that one's line first");
            return 1;
          }
        } catch (ConfigException e) {
          // a config with a problem still gets a token; check-config names the problem
        }
      }
      String token = Tokens.create();
      if (c != null && c.fleet() != null) return FleetTokens.add(config, c.fleet(), new AdminToken(name, s, Tokens.hash(token)), token);
      System.out.println(token);
      System.out.println();
      System.out.println("This is the only time the token is shown. Add this line under admin.tokens in " + config + ",");
      System.out.println("then reload (SIGHUP, or POST /reload):");
      System.out.println();
      System.out.println("    - { name: " + name + ", scope: " + s.word() + ", hash: \"" + Tokens.hash(token) + "\" }");
      System.out.println();
      System.out.println("and call the API with: curl -H \"Authorization: Bearer " + token + "\" http://127.0.0.1:9090/api/pools");
      return 0;
    }
  }
}
