package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
  @TempDir Path dir;

  @Test
  void brokenFileNamesTheLineAndKeyAndExitsNonZero() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones:\n  - name: shop.example\n    timeouts: { connect: soon }\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run("check-config", f.toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(f + ":5: zones[0].timeouts.connect: \"soon\" is not a duration (write it as 500ms, 19s, 2m or 1h)");
  }

  @Test
  void theShippedDefaultConfigIsValid() {
    assertThat(Main.run("check-config", "config/edgeray.yaml")).isZero();
  }
}
