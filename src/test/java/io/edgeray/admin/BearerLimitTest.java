package io.edgeray.admin;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wrong bearer tokens are limited per address like failed sign-ins: after five in a minute every
 * token that address sends waits (a valid one too); other addresses, and requests without a
 * token, do not.
 */
class BearerLimitTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void afterFiveWrongTokensTheAddressGets429WithRetryAfterEvenForAValidTokenAndOthersDoNot() throws Exception {
    edge.start(AdminTokens.yaml(), zone("shop.example", "origin_ports: { http: 9 }"));
    AdminClient wrong = edge.admin().as("edr_not-a-token");
    for (int i = 0; i < 5; i++) assertThat(wrong.get("/api/pools").status()).as("attempt " + (i + 1)).isEqualTo(401);

    AdminClient.Response sixth = wrong.get("/api/pools");
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.errorCode()).isEqualTo("too_many_failed_tokens");
    assertThat(sixth.header("content-type")).isEqualTo("application/json");
    assertThat(Long.parseLong(sixth.header("retry-after"))).isBetween(1L, 60L);

    AdminClient.Response valid = edge.admin().as(AdminTokens.EDIT).get("/api/pools");
    assertThat(valid.status()).isEqualTo(429);
    // the dashboard's sign-in counts its own failures: a script's wrong tokens do not lock a person out, nor the other way round
    assertThat(edge.admin().withoutToken().post("/api/session", "{\"token\": \"" + AdminTokens.EDIT + "\"}").status()).isEqualTo(200);
    assertThat(edge.admin().withoutToken().get("/healthz").status()).isEqualTo(200); // a request without a token is not held

    RawClient.Response other = fromAddress("127.0.0.2", "GET /api/pools HTTP/1.1\r\nHost: admin\r\nAuthorization: Bearer "
        + AdminTokens.READ + "\r\nConnection: close\r\n\r\n");
    assertThat(other.status()).isEqualTo(200);
  }

  /** One request from another loopback address (Linux routes all of 127.0.0.0/8 to lo). */
  private RawClient.Response fromAddress(String source, String request) throws IOException {
    InetSocketAddress admin = edge.node().adminAddress();
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(source, 0));
      s.connect(admin, 5000);
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return RawClient.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }
  }
}
