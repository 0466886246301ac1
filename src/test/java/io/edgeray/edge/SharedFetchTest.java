package io.edgeray.edge;

import static io.edgeray.testing.EdgeExtension.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Await;
import io.edgeray.testing.BytePattern;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultBytes;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One origin fetch serves every visitor asking for the object while it arrives: the first visitor
 * leaving does not end it, and an origin breaking off ends every visitor's answer the same way.
 */
class SharedFetchTest {
  private static final Pattern RAY = Pattern.compile("(?im)^edge-ray: (\\S+)$");
  private static final String GET = RawClient.request("GET", "shop.example", "/slow.bin");

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  private void start(FaultyOrigin origin) throws Exception {
    start(origin, "");
  }

  private void start(FaultyOrigin origin, String cacheSettings) throws Exception {
    edge.start(zone("shop.example", "origin_ports: { http: " + origin.port() + " }\n"
        + "cache: { " + cacheSettings + "rules: [ { path: \"/*\", cache_everything: true, edge_ttl: 1h } ] }"));
  }

  private static String ray(String head) {
    Matcher m = RAY.matcher(head);
    assertThat(m.find()).as("an Edge-Ray header in " + head).isTrue();
    return m.group(1);
  }

  /** The visitor goes away at once: a reset, which the edge notices on its next write, not a FIN it may only see at the end. */
  private static void leave(RawClient visitor) throws java.io.IOException {
    visitor.socket().setSoLinger(true, 0);
    visitor.close();
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    BytePattern.fill(b, 0);
    return b;
  }

  @Test
  void whenTheFirstVisitorLeavesMidBodyTheFetchGoesOnAndTheFollowerGetsEveryByte() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.SLOW_BODY).slowDelay(Duration.ofMillis(300))) {
      start(origin);
      RawClient leader = edge.connect();
      String leaderHead = leader.send(GET).readHead();
      assertThat(leaderHead).containsIgnoringCase("edge-cache-status: MISS");
      try (RawClient follower = edge.connect()) {
        String head = follower.send(GET).readHead();
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("edge-cache-status: HIT")
            .containsIgnoringCase("content-length: " + FaultBytes.SLOW_BODY_BYTES);

        leave(leader); // mid-body: the origin has sent a byte or two of ten

        assertThat(follower.readToEnd()).isEqualTo(pattern(FaultBytes.SLOW_BODY_BYTES));
      }
      JsonNode line = edge.logLine(ray(leaderHead));
      assertThat(line.get("abort").asText()).isEqualTo("visitor closed the connection");
      assertThat(line.get("detail").asText()).contains("read on without the visitor");
      assertThat(line.get("cache").get("stored").asBoolean()).isTrue();

      RawClient.Response again = edge.get("shop.example", "/slow.bin");
      assertThat(again.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(again.bodyBytes()).isEqualTo(pattern(FaultBytes.SLOW_BODY_BYTES));
      assertThat(origin.requests()).hasSize(1);
    }
  }

  @Test
  void aLeaderWhoLeavesAloneStillCompletesTheStoredCopy() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.SLOW_BODY).slowDelay(Duration.ofMillis(150))) {
      start(origin);
      RawClient leader = edge.connect();
      assertThat(leader.send(GET).readHead()).containsIgnoringCase("edge-cache-status: MISS");
      leave(leader);
      var cache = edge.node().server().cache();
      Await.until(Duration.ofSeconds(10), () -> cache.report("shop.example").memory().zoneObjects() == 1, "the copy stored");

      RawClient.Response next = edge.get("shop.example", "/slow.bin");
      assertThat(next.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(next.bodyBytes()).isEqualTo(pattern(FaultBytes.SLOW_BODY_BYTES));
      assertThat(origin.requests()).hasSize(1);
    }
  }

  @Test
  void anAnswerTooLargeToStoreIsNotReadOnOnceItsVisitorLeaves() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.SLOW_BODY).slowDelay(Duration.ofMillis(150))) {
      start(origin, "max_object_size: 5B, ");
      RawClient leader = edge.connect();
      String head = leader.send(GET).readHead();
      leave(leader);
      assertThat(head).containsIgnoringCase("edge-cache-status: BYPASS");
      JsonNode line = edge.logLine(ray(head));
      assertThat(line.get("abort").asText()).isEqualTo("visitor closed the connection");
      assertThat(line.path("detail").asText()).doesNotContain("read on");
      assertThat(line.get("cache").has("stored")).isFalse();
    }
  }

  @Test
  void anOriginBreakingOffMidBodyCutsTheFollowerLikeTheLeaderAndNothingIsStored() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.SLOW_BODY_CUT).slowDelay(Duration.ofMillis(150))) {
      start(origin);
      try (RawClient leader = edge.connect(); RawClient follower = edge.connect()) {
        String leaderHead = leader.send(GET).readHead();
        String head = follower.send(GET).readHead();
        assertThat(head).containsIgnoringCase("edge-cache-status: HIT")
            .containsIgnoringCase("content-length: " + FaultBytes.SLOW_BODY_BYTES);

        byte[] cut = pattern(FaultBytes.SLOW_BODY_CUT_AFTER);
        // a follower behind the leader when the origin broke gets less, never more, and never a whole answer
        byte[] followed = follower.readToEnd();
        assertThat(followed.length).as("closed short of its Content-Length").isLessThanOrEqualTo(cut.length);
        assertThat(followed).isEqualTo(pattern(followed.length));
        assertThat(leader.readToEnd()).isEqualTo(cut);

        String leaderRay = ray(leaderHead);
        JsonNode leaderLine = edge.logLine(leaderRay);
        assertThat(leaderLine.get("failure").asText()).isEqualTo("RESPONSE_INCOMPLETE");
        assertThat(leaderLine.get("cache").get("stored").asBoolean()).isFalse();
        JsonNode followerLine = edge.logLine(ray(head));
        assertThat(followerLine.get("abort").asText()).isEqualTo("the answer being fetched by ray " + leaderRay
            + " broke off before its end (that ray's log line says why): nothing was stored");
      }

      origin.fault(Fault.SLOW_BODY).slowDelay(Duration.ofMillis(1));
      RawClient.Response next = edge.get("shop.example", "/slow.bin");
      assertThat(next.header("edge-cache-status")).isEqualTo("MISS");
      assertThat(next.bodyBytes()).isEqualTo(pattern(FaultBytes.SLOW_BODY_BYTES));
    }
  }
}
