package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's file completed by the fleet's part: node-local keys never come from the fleet; the fleet's tokens count. */
class FleetConfigLoaderTest {
  @TempDir Path dir;

  private Path nodeFile(String admin) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, "node: AMS\nlisten: { http: 127.0.0.1:0 }\n" + admin
        + "fleet: { etcd: [http://127.0.0.1:2379], prefix: /t }\n");
    return f;
  }

  private static final String ZONES = "zones:\n  - name: shop.test\n    records:\n      - { type: A, name: www, content: 127.0.0.1 }\n";

  @Test
  void aNodesOwnKeyInTheFleetsPartIsRefusedWithItsLineAndKey() throws Exception {
    Path node = nodeFile("");
    assertThatThrownBy(() -> FleetConfigLoader.load(node, new SharedConfig(ZONES + "listen: { http: 0.0.0.0:80 }\n", 7),
        "etcd:/t/config@7", null))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("listen");
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.getMessage()).startsWith("etcd:/t/config@7:5: listen: listen is each node's own, not the fleet's:"
              + " change it in the node's file");
        });
  }

  @Test
  void theFleetsAdminTokensCountBesideTheNodesOwnAndTheSameTokenInBothCountsOnce() throws Exception {
    String own = "{ name: ops, scope: read, hash: \"sha256:" + "a".repeat(64) + "\" }";
    String ci = "{ name: ci, scope: edit, hash: \"sha256:" + "b".repeat(64) + "\" }";
    Path node = nodeFile("admin: { listen: 127.0.0.1:0, tokens: [ " + own + " ] }\n");
    EdgeConfig c = FleetConfigLoader.load(node, new SharedConfig(ZONES + "admin_tokens:\n  - " + ci + "\n  - " + own + "\n", 3),
        "etcd:/t/config@3", null);
    assertThat(c.admin().tokens()).extracting(t -> t.name()).containsExactly("ops", "ci");

    String otherOps = "{ name: ops, scope: edit, hash: \"sha256:" + "c".repeat(64) + "\" }";
    assertThatThrownBy(() -> FleetConfigLoader.load(node, new SharedConfig(ZONES + "admin_tokens: [ " + otherOps + " ]\n", 4),
        "etcd:/t/config@4", null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the token named ops is also in the fleet's admin_tokens, with another scope or hash");
  }
}
