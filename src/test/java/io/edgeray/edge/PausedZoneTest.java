package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A paused zone is not proxied: a visitor who still reaches the edge is told so, and the origin sees nothing. */
class PausedZoneTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  private static String zone(int port, boolean paused) {
    return """
          - name: shop.example
            paused: %s
            origin_ports: { http: %d }
            records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
        """.formatted(paused, port);
  }

  @Test
  void pausedZoneGives530PageSayingSoAndNeverReachesTheOrigin() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      edge.start(zone(origin.port(), true));
      RawClient.Response r = edge.get("shop.example", "/");
      assertThat(r.status()).isEqualTo(530);
      assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=destination_unavailable");
      assertThat(r.body()).contains("Error 1018", "Zone is paused on this edge", "has paused this edge for the site");
      String ray = r.header("edge-ray");
      assertThat(r.body()).contains(ray);
      assertThat(edge.logLine(ray).get("detail").asText())
          .isEqualTo("zone shop.example is paused: its records are answered DNS-only and the edge does not proxy it");
      assertThat(origin.connectionsAccepted()).isZero();
    }
  }

  @Test
  void unpausingByReloadProxiesAgain() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      edge.start(zone(origin.port(), true));
      assertThat(edge.get("shop.example", "/").status()).isEqualTo(530);
      Path file = edge.configFile();
      Files.writeString(file, Files.readString(file).replace("paused: true", "paused: false"));
      assertThat(edge.node().reload()).isNull();
      assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
    }
  }
}
