package io.edgeray.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeray.config.Cidr;
import io.edgeray.firewall.AllowlistFormats.Format;
import io.edgeray.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the nft output into a real nftables. In a network namespace of its own when the test may
 * make one (root), so the machine's own ruleset is never touched; else nft's check mode.
 */
class NftLoadTest {
  @TempDir Path dir;

  @Test
  void theNftOutputLoadsTwiceAndMergesOverlappingBlocks() throws Exception {
    Optional<Path> nft = ExternalCommand.find("nft");
    assumeTrue(nft.isPresent(), "nft is not installed (Debian: apt-get install nftables)");
    EdgeRanges ranges = new EdgeRanges(List.of(Cidr.parse("127.0.0.0/24"), Cidr.parse("127.0.0.2"),
        Cidr.parse("127.0.0.3"), Cidr.parse("2001:db8:1::/48")));
    Path file = dir.resolve("edgeray.nft");
    Files.writeString(file, AllowlistFormats.render(Format.NFT, ranges));

    Optional<Path> unshare = ExternalCommand.find("unshare");
    ExternalCommand.Result isolated = unshare.isEmpty() ? null : ExternalCommand.run(Duration.ofSeconds(20), List.of(
        unshare.get().toString(), "--net", "sh", "-c",
        "nft -f \"$1\" && nft -f \"$1\" && nft list table inet edgeray", "sh", file.toString()));
    if (isolated != null && !isolated.output().contains("Operation not permitted")) {
      assertThat(isolated.exitCode()).as(isolated.output()).isZero();
      assertThat(isolated.output())
          .contains("elements = { 127.0.0.0/24 }")
          .contains("elements = { 2001:db8:1::/48 }")
          .contains("tcp dport { 80, 443 } drop");
    } else {
      ExternalCommand.Result checked = ExternalCommand.run(Duration.ofSeconds(20),
          List.of(nft.get().toString(), "-c", "-f", file.toString()));
      assertThat(checked.exitCode()).as(checked.output()).isZero();
    }
  }

  @Test
  void theNftOutputWithoutIpv6BlocksLoadsToo() throws Exception {
    Optional<Path> nft = ExternalCommand.find("nft");
    assumeTrue(nft.isPresent(), "nft is not installed (Debian: apt-get install nftables)");
    Path file = dir.resolve("edgeray.nft");
    Files.writeString(file, AllowlistFormats.render(Format.NFT, new EdgeRanges(List.of(Cidr.parse("127.0.0.2")))));
    ExternalCommand.Result checked = ExternalCommand.run(Duration.ofSeconds(20),
        List.of(nft.get().toString(), "-c", "-f", file.toString()));
    assertThat(checked.exitCode()).as(checked.output()).isZero();
  }
}
