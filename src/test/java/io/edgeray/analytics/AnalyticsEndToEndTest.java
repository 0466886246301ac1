package io.edgeray.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import io.edgeray.testing.TestClock;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/analytics} over a real edge whose origin refuses: counts per minute, kept across a restart, gone after a day. */
class AnalyticsEndToEndTest {
  private static final String MINUTE_10_00 = "from=2026-12-01T10:00:00Z&to=2026-12-01T10:01:00Z";
  private final TestClock clock = new TestClock();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().clock(clock);
  private final int closed = Ports.closedPort();

  private void startRefusingEdge() throws Exception {
    edge.start("admin: 127.0.0.1:0\n", EdgeExtension.zone("shop.example", "origin_ports: { http: " + closed + " }"));
  }

  private String refusedRay() throws Exception {
    var r = edge.get("shop.example", "/");
    assertThat(r.status()).isEqualTo(521);
    return r.header("edge-ray");
  }

  /** The points of the query, once the first one counts {@code total} rays (an observer may run a moment after the answer). */
  private JsonNode pointsOnceTotalIs(String query, int total) throws Exception {
    JsonNode[] last = new JsonNode[1];
    Await.until(Duration.ofSeconds(10), () -> {
      try {
        AdminClient.Response r = edge.admin().get("/api/analytics?zone=shop.example&" + query);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        last[0] = r.json().get("points");
        return last[0].get(0).get("total").asInt() == total;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "a first point of " + total + " rays; last answer " + last[0]);
    return last[0];
  }

  @Test
  void threeRefusedRaysShowAs521AndAsOriginErrorsInTheirMinute() throws Exception {
    startRefusingEdge();
    String ray = null;
    for (int i = 0; i < 3; i++) ray = refusedRay();
    String origin = edge.logLine(ray).at("/attempts/0/origin").asText();

    JsonNode points = pointsOnceTotalIs(MINUTE_10_00, 3);

    assertThat(points).hasSize(1);
    JsonNode p = points.get(0);
    assertThat(p.get("t").asText()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(p.get("by_class").toString()).isEqualTo("{\"5xx\":3}");
    assertThat(p.get("by_code").toString()).isEqualTo("{\"521\":3}");
    assertThat(p.get("by_origin").get(origin).toString()).isEqualTo("{\"total\":3,\"errors\":3}");
  }

  @Test
  void aRestartKeepsTheMinutesAndTheMinuteOfTheRestartGoesOnCounting() throws Exception {
    startRefusingEdge();
    for (int i = 0; i < 3; i++) refusedRay();
    pointsOnceTotalIs(MINUTE_10_00, 3);

    edge.restart();
    assertThat(Files.readString(edge.dir().resolve("analytics/shop.example.jsonl"))).contains("\"by_code\":{\"521\":3}");
    pointsOnceTotalIs(MINUTE_10_00, 3);
    refusedRay();
    pointsOnceTotalIs(MINUTE_10_00, 4);

    edge.restart();
    JsonNode p = pointsOnceTotalIs(MINUTE_10_00, 4).get(0);
    assertThat(p.get("by_code").toString()).isEqualTo("{\"521\":4}");
  }

  @Test
  void minutesOlderThanADayAreGoneInMemoryAndAfterARestart() throws Exception {
    startRefusingEdge();
    for (int i = 0; i < 3; i++) refusedRay();
    pointsOnceTotalIs(MINUTE_10_00, 3);

    clock.advance(Duration.ofHours(25));
    pointsOnceTotalIs(MINUTE_10_00, 0);
    JsonNode day = edge.admin().get("/api/analytics?zone=shop.example").json();
    assertThat(day.get("points")).hasSize(24 * 60);
    assertThat(day.get("points").findValues("total")).allMatch(t -> t.asInt() == 0);
    JsonNode hourly = edge.admin().get("/api/analytics?zone=shop.example&step=1h").json().get("points");
    assertThat(hourly).hasSize(25);
    assertThat(hourly.get(0).get("t").asText()).isEqualTo("2026-12-01T11:00:00Z"); // a day back from 11:00 the next day, on the hour

    edge.restart();
    pointsOnceTotalIs(MINUTE_10_00, 0);
  }

  @Test
  void aStepSumsItsMinutes() throws Exception {
    startRefusingEdge();
    for (int i = 0; i < 3; i++) refusedRay();
    pointsOnceTotalIs(MINUTE_10_00, 3);
    clock.advance(Duration.ofMinutes(2));
    refusedRay();
    refusedRay();
    pointsOnceTotalIs("from=2026-12-01T10:02:00Z&to=2026-12-01T10:03:00Z", 2);

    JsonNode r = edge.admin().get("/api/analytics?zone=shop.example&from=2026-12-01T10:00:00Z&to=2026-12-01T10:10:00Z&step=5m").json();

    assertThat(r.get("step").asText()).isEqualTo("5m");
    assertThat(r.get("points")).hasSize(2);
    assertThat(r.at("/points/0/total").asInt()).isEqualTo(5);
    assertThat(r.at("/points/0/by_code/521").asInt()).isEqualTo(5);
    assertThat(r.at("/points/1/t").asText()).isEqualTo("2026-12-01T10:05:00Z");
    assertThat(r.at("/points/1/total").asInt()).isEqualTo(0);
  }

  @Test
  void aBadQuestionIsAJsonErrorNamingItsParameter() throws Exception {
    startRefusingEdge();

    AdminClient.Response step = edge.admin().get("/api/analytics?zone=shop.example&step=7s");
    assertThat(step.status()).isEqualTo(400);
    assertThat(step.json().get("error").get("code").asText()).isEqualTo("bad_step");
    assertThat(step.json().get("error").get("field").asText()).isEqualTo("step");

    AdminClient.Response zone = edge.admin().get("/api/analytics?zone=other.example");
    assertThat(zone.status()).isEqualTo(404);
    assertThat(zone.body()).isEqualTo(
        "{\"error\":{\"code\":\"zone_not_found\",\"message\":\"no zone named other.example on this edge\",\"field\":\"zone\"}}");

    assertThat(edge.admin().withoutToken().get("/api/analytics?zone=shop.example").status()).isEqualTo(401);

    AdminClient.Response from = edge.admin().get("/api/analytics?zone=shop.example&from=yesterday");
    assertThat(from.status()).isEqualTo(400);
    assertThat(from.json().at("/error/field").asText()).isEqualTo("from");
  }
}
