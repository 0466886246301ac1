package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.admin.Tokens;
import io.edgeray.config.AdminToken;
import io.edgeray.config.Scope;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
  @TempDir Path dir;

  @Test
  void createPrintsTheTokenOnceAndTheConfigLineWithItsHashThatLoads() throws Exception {
    Path config = dir.resolve("edge.yaml");
    String before = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nadmin:\n  listen: 127.0.0.1:9090\n  tokens:\n";
    Files.writeString(config, before + "zones: []\n");
    CliRun r = CliRun.of("token", "create", "ci", "--scope", "edit", "--config", config.toString());
    assertThat(r.code()).isEqualTo(0);
    String token = r.out().lines().findFirst().orElseThrow();
    assertThat(token).matches("edr_[A-Za-z0-9_-]{43}");
    String line = r.out().lines().filter(l -> l.trim().startsWith("- { name: ci")).findFirst().orElseThrow();
    assertThat(line.trim()).isEqualTo("- { name: ci, scope: edit, hash: \"" + Tokens.hash(token) + "\" }");
    assertThat(Files.readString(config)).isEqualTo(before + "zones: []\n"); // the YAML is the owner's: nothing written

    Files.writeString(config, before + line + "\nzones: []\n");
    assertThat(ConfigLoader.load(config).admin().tokens()).containsExactly(new AdminToken("ci", Scope.EDIT, Tokens.hash(token)));
    CliRun again = CliRun.of("token", "create", "ci", "--scope", "read", "--config", config.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already has a token named ci");
  }

  @Test
  void aScopeOtherThanReadOrEditExits2() {
    CliRun r = CliRun.of("token", "create", "ci", "--scope", "admin", "--config", dir.resolve("none.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--scope must be read or edit, not \"admin\"");
  }
}
