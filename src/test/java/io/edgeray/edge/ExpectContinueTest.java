package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expect: 100-continue. The edge answers 100 itself once it has a connection to the origin, so a
 * visitor sends its body only when there is somewhere for it to go; the origin sees no Expect.
 */
class ExpectContinueTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void edgeAnswers100ItselfThenTheBodyReachesTheOrigin() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("POST /sink HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      assertThat(v.readHead()).isEqualTo("HTTP/1.1 100 Continue");

      v.send("hello world");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"received\":11}");
      var seen = origin.awaitRequests(1, Duration.ofSeconds(5)).get(0);
      assertThat(seen.bodyBytes()).isEqualTo(11);
      assertThat(seen.header("Expect")).isEmpty();
      assertThat(edge.logLine(r.header("edge-ray")).get("bytes_in").asLong()).isEqualTo(11);
    }
  }

  @Test
  void downOriginGets521WithoutA100SoTheBodyIsNeverSent() throws Exception {
    try (RawClient v = edge.start(zone(Ports.closedPort())).connect()) {
      v.send("POST /upload HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(521);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(edge.logLine(r.header("edge-ray")).get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
      assertThat(v.closedByPeer()).isTrue();
    }
  }
}
