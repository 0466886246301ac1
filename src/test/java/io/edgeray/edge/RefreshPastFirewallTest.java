package io.edgeray.edge;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stale-while-revalidate refresh is the edge's own request to its listener from 127.0.0.1:
 * with its one-time token it passes rules that refuse 127.0.0.1; without a good token, a request
 * from 127.0.0.1 is a visitor's and is refused.
 */
class RefreshPastFirewallTest {
  /** Visitors come from here; the edge's refreshes from 127.0.0.1, which the zone refuses twice over. */
  private static final InetAddress VISITOR = loopback("127.0.0.2");

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private FaultyOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start(Fault.OK);
    edge.start(zone("shop.example", "origin_ports: { http: " + origin.port() + " }\n"
        + "cache: { stale_while_revalidate: 10m, rules: [ { path: \"/*\", cache_everything: true, edge_ttl: 1s } ] }\n"
        + "ip_access:\n"
        + "  - { ip: 127.0.0.1, action: block, note: not from here }\n"
        + "firewall:\n"
        + "  - { id: no-loopback, expression: 'ip.src == \"127.0.0.1\"', action: block }"));
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private RawClient.Response visit(String path, String... headers) {
    try (RawClient c = RawClient.connectFrom(VISITOR, edge.httpAddress())) {
      return c.send(RawClient.request("GET", "shop.example", path, headers)).readResponse();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theBackgroundRefreshFrom127001PassesTheRulesThatRefuse127001() throws Exception {
    assertThat(visit("/news").header("edge-cache-status")).isEqualTo("MISS");
    Await.until(Duration.ofSeconds(10), () -> "UPDATING".equals(visit("/news").header("edge-cache-status")),
        "the copy turns stale and is served UPDATING");
    Await.until(Duration.ofSeconds(10), () -> edge.log().read().stream()
        .anyMatch(l -> l.path("cache").path("refresh").asBoolean()), "the background refresh's ray ended");

    JsonNode refresh = edge.log().read().stream().filter(l -> l.path("cache").path("refresh").asBoolean()).findFirst()
        .orElseThrow();
    assertThat(refresh.get("client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(refresh.get("status").asInt()).isEqualTo(200);
    assertThat(refresh.get("failure").isNull()).isTrue();
    assertThat(refresh.get("cache").get("stored").asBoolean()).isTrue();
    assertThat(origin.requests()).hasSize(2);
    assertThat(origin.requests().get(1).header("Edgeray-Refresh")).isEmpty();
  }

  @Test
  void aForgedTokenFrom127001IsAVisitorsAndIsRefused() throws Exception {
    RawClient.Response r = edge.get("shop.example", "/news", "Edgeray-Refresh: 00000000000000000000000000000000");

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("1006");
    assertThat(edge.logLine(r.header("edge-ray")).get("failure").asText()).isEqualTo("IP_BLOCKED");
    assertThat(origin.requests()).isEmpty();
  }

  private static InetAddress loopback(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
