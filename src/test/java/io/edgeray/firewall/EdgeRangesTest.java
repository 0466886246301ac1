package io.edgeray.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeRangesTest {
  private static EdgeRanges ranges(String... blocks) {
    return new EdgeRanges(List.of(blocks).stream().map(Cidr::parse).toList());
  }

  private final EdgeRanges ranges = ranges("127.0.0.2", "2001:db8:1::/48", "127.0.0.3/32", "127.0.0.2/32");

  @Test
  void theTextListsHaveOneBlockALineEachLineEnded() {
    assertThat(ranges.ipv4Text()).isEqualTo("127.0.0.2/32\n127.0.0.3/32\n");
    assertThat(ranges.ipv6Text()).isEqualTo("2001:db8:1::/48\n");
    assertThat(ranges("127.0.0.2").ipv6Text()).isEmpty();
  }

  @Test
  void theJsonHasBothListsAndTheEtag() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ranges.json());
    assertThat(json.get("ipv4_cidrs").toString()).isEqualTo("[\"127.0.0.2/32\",\"127.0.0.3/32\"]");
    assertThat(json.get("ipv6_cidrs").toString()).isEqualTo("[\"2001:db8:1::/48\"]");
    assertThat(json.get("etag").asText()).isEqualTo(ranges.etag()).matches("[0-9a-f]{32}");
    assertThat(ranges.json()).startsWith("{\"ipv4_cidrs\":");
  }

  @Test
  void theEtagChangesExactlyWhenTheBlocksDo() {
    assertThat(ranges("127.0.0.3", "127.0.0.2", "2001:db8:1::/48").etag())
        .isNotEqualTo(ranges.etag());
    assertThat(ranges("127.0.0.2", "127.0.0.3", "2001:db8:1::/48").etag()).isEqualTo(ranges.etag());
    assertThat(ranges("127.0.0.2", "127.0.0.3").etag()).isNotEqualTo(ranges.etag());
  }
}
