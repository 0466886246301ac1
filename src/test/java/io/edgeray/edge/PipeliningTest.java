package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/1.1 pipelining: requests sent back to back in one write are answered in order, one ray each. */
class PipeliningTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void threeRequestsInOneWriteGetThreeResponsesInOrder() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /one HTTP/1.1\r\nHost: shop.example\r\n\r\n"
          + "POST /sink HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\n\r\nhello"
          + "GET /three HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      List<RawClient.Response> answers = new ArrayList<>();
      for (int i = 0; i < 3; i++) answers.add(v.readResponse());

      assertThat(answers).extracting(RawClient.Response::status).containsExactly(200, 200, 200);
      assertThat(answers.get(0).body()).contains("\"path\":\"/one\"");
      assertThat(answers.get(1).body()).isEqualTo("{\"received\":5}");
      assertThat(answers.get(2).body()).contains("\"path\":\"/three\"");
      assertThat(answers).extracting(a -> a.header("edge-ray")).doesNotHaveDuplicates().allMatch(r -> r.matches("[0-9a-f]{16}-T1"));
      assertThat(origin.awaitRequests(3, Duration.ofSeconds(5))).extracting(q -> q.uri())
          .containsExactly("/one", "/sink", "/three");
      for (RawClient.Response a : answers) assertThat(edge.logLine(a.header("edge-ray")).get("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void responsesToHeadCarryNoBodySoTheResponsesAfterThemStayInStep() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("HEAD /bytes/1000 HTTP/1.1\r\nHost: shop.example\r\n\r\n"
          + "HEAD /x\u0001 HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      String head = v.readHead();
      assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-length: 1000");
      String refused = v.readHead(); // the error page's head: its body is left out for HEAD too
      assertThat(refused).startsWith("HTTP/1.1 400 ").containsPattern("(?i)content-length: [1-9]");
      assertThat(v.closedByPeer()).as("no body bytes followed the 400 head").isTrue();
    }
  }

  @Test
  void aRefusedRequestInThePipelineIsAnsweredInItsTurnAndTheRestIsDropped() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /one HTTP/1.1\r\nHost: shop.example\r\n\r\n"
          + "GET /two\u0001 HTTP/1.1\r\nHost: shop.example\r\n\r\n"
          + "GET /three HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      RawClient.Response refused = v.readResponse();
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.header("connection")).isEqualTo("close");
      assertThat(v.closedByPeer()).isTrue();
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/one");
    }
  }
}
