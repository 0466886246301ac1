package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.CliRun;
import io.edgeray.testing.EtcdProcess;
import io.edgeray.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeray fleet import} checks a file as check-config does and writes only the fleet's keys; export prints them back. */
class FleetCommandTest {
  private static EtcdProcess etcd;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    etcd = EtcdProcess.started();
  }

  @AfterAll
  static void stop() {
    if (etcd != null) etcd.close();
  }

  @Test
  void importWritesTheSharedKeysAndExportPrintsThemBack() throws Exception {
    Path site = dir.resolve("site.yaml");
    Files.writeString(site, """
        node: AMS
        listen: { http: 127.0.0.1:8080 }
        zones:
          - name: shop.example
            records:
              - { type: A, name: "@", content: 127.0.0.1, proxied: true }
        edge: { egress: [127.0.0.1] }
        """);
    CliRun in = CliRun.of("fleet", "import", site.toString(), "--etcd", etcd.url(), "--prefix", "/cli");
    assertThat(in.code()).as(in.err()).isZero();
    assertThat(in.out()).matches(site + ": imported to /cli/config at revision \\d+ \\(1 zones, 1 records, 0 pools\\)\\n"
        + "created the fleet's node-to-node secret \\(nodes call each other's admin API with it\\)\\n");
    CliRun again = CliRun.of("fleet", "import", site.toString(), "--etcd", etcd.url(), "--prefix", "/cli");
    assertThat(again.out()).as("the secret is made once").doesNotContain("secret");

    CliRun out = CliRun.of("fleet", "export", "--etcd", etcd.url(), "--prefix", "/cli");
    assertThat(out.code()).as(out.err()).isZero();
    assertThat(out.out()).matches("(?s)# /cli/config at etcd revision \\d+\\nzones:\\n  - name: shop.example\\n.*")
        .doesNotContain("node:").doesNotContain("listen:").doesNotContain("egress");
  }

  @Test
  void aFileWithAProblemIsNotImportedAndSaysItsLine() throws Exception {
    Path site = dir.resolve("bad.yaml");
    Files.writeString(site, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones:\n  - name: shop.example\n    ssl: sometimes\n");
    CliRun in = CliRun.of("fleet", "import", site.toString(), "--etcd", etcd.url(), "--prefix", "/bad");
    assertThat(in.code()).isEqualTo(1);
    assertThat(in.err()).startsWith(site + ":5: zones[0].ssl: \"sometimes\" is not an SSL mode");
    assertThat(CliRun.of("fleet", "export", "--etcd", etcd.url(), "--prefix", "/bad").code()).isEqualTo(1);
  }

  @Test
  void etcdNotAnsweringExitsThreeNamingTheEndpoint() throws Exception {
    Path site = dir.resolve("site.yaml");
    Files.writeString(site, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones: []\n");
    String nobody = "http://127.0.0.1:" + Ports.closedPort();
    CliRun in = CliRun.of("fleet", "import", site.toString(), "--etcd", nobody);
    assertThat(in.code()).isEqualTo(3);
    assertThat(in.err()).startsWith("edgeray fleet import: etcd " + nobody + ": ");
  }
}
