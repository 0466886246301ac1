package io.edgeray.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTokenTest {
  @TempDir Path dir;

  @Test
  void theTokenMadeOnTheFirstStartIsTheOneReadOnTheNext() throws Exception {
    Path file = LocalToken.fileFor(dir.resolve("edgeray.yaml"));
    assertThat(file).isEqualTo(dir.resolve("state/admin-token"));
    String first = LocalToken.loadOrCreate(file);
    assertThat(LocalToken.loadOrCreate(file)).isEqualTo(first);
    assertThat(Tokens.hash(first)).matches("sha256:[0-9a-f]{64}");
  }
}
