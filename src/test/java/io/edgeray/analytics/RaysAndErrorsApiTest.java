package io.edgeray.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/rays/{ray}} and {@code GET /api/errors}: access-log lines found through the ray index, across rotation and restart. */
class RaysAndErrorsApiTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private final int closed = Ports.closedPort();

  private void startRefusingEdge() throws Exception {
    edge.start("admin: 127.0.0.1:0\n", EdgeExtension.zone("shop.example", "origin_ports: { http: " + closed + " }"));
  }

  private String refusedRay() throws Exception {
    var r = edge.get("shop.example", "/");
    assertThat(r.status()).isEqualTo(521);
    return r.header("edge-ray");
  }

  /** The API's answer for a ray, once the index has it (the log writer flushes in batches). */
  private AdminClient.Response rayOnceFound(String ray) {
    @SuppressWarnings("unchecked") AdminClient.Response[] last = new AdminClient.Response[1];
    Await.until(Duration.ofSeconds(10), () -> {
      try {
        last[0] = edge.admin().get("/api/rays/" + ray);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return last[0].status() == 200;
    }, "ray " + ray + " through /api/rays");
    return last[0];
  }

  /** The ray ids an admin API list answers with, in its order. */
  private List<String> raysOf(String path) {
    try {
      return edge.admin().get(path).json().findValuesAsText("ray");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The line of the file that carries this ray, exactly as written. */
  private static String lineInFile(Path file, String ray) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"ray\":\"" + ray + "\""))
        .findFirst().orElseThrow();
  }

  @Test
  void theRayIdOfARealRefusedPageGivesItsAccessLogLine() throws Exception {
    startRefusingEdge();
    String ray = refusedRay();

    AdminClient.Response r = rayOnceFound(ray);

    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.body()).isEqualTo(lineInFile(edge.log().file(), ray));
    JsonNode line = r.json();
    assertThat(line.get("ray").asText()).isEqualTo(ray);
    assertThat(line.get("status").asInt()).isEqualTo(521);
    assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
  }

  @Test
  void anUnknownRayIs404WithAJsonError() throws Exception {
    startRefusingEdge();

    AdminClient.Response r = edge.admin().get("/api/rays/0123456789abcdef-T1");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("ray_not_found");
    assertThat(r.json().at("/error/field").asText()).isEqualTo("ray");
  }

  @Test
  void afterLogrotateRenamedTheLogAndTheEdgeReopenedItBothFilesRaysAreFound() throws Exception {
    startRefusingEdge();
    String before = refusedRay();
    rayOnceFound(before);
    Path log = edge.log().file();
    Path rotated = log.resolveSibling("access.jsonl.1");
    Files.move(log, rotated);
    long reopened = edge.node().accessLog().reopened();
    assertThat(edge.reload()).isNull();
    Await.until(Duration.ofSeconds(5), () -> edge.node().accessLog().reopened() > reopened, "the log reopened");
    String after = refusedRay();

    assertThat(rayOnceFound(after).body()).isEqualTo(lineInFile(log, after));
    assertThat(rayOnceFound(before).body()).isEqualTo(lineInFile(rotated, before));

    edge.restart(); // the index is rebuilt by reading both files once
    assertThat(rayOnceFound(after).body()).isEqualTo(lineInFile(log, after));
    assertThat(rayOnceFound(before).body()).isEqualTo(lineInFile(rotated, before));
  }

  @Test
  void aFileReplacedBehindTheEdgesBackGivesNotFoundRatherThanAnotherRaysLine() throws Exception {
    startRefusingEdge();
    String ray = refusedRay();
    rayOnceFound(ray);
    String other = lineInFile(edge.log().file(), ray).replace(ray, "ffffffffffffffff-T1");
    Files.writeString(edge.log().file(), other + "\n"); // the same inode, rewritten: the offset now holds another ray

    assertThat(edge.admin().get("/api/rays/" + ray).status()).isEqualTo(404);
  }

  @Test
  void theDoctorsOwnProbesAreFoundByTheirRayButAreNotListedAsErrors() throws Exception {
    startRefusingEdge();
    String visitors = refusedRay();
    String mark = io.edgeray.observe.DoctorMark.readBeside(edge.configFile()).secret();
    var probe = edge.get("shop.example", "/", io.edgeray.observe.DoctorMark.HEADER + ": " + mark);
    assertThat(probe.status()).isEqualTo(521);
    String doctors = probe.header("edge-ray");
    assertThat(rayOnceFound(doctors).json().path("doctor").asBoolean()).isTrue();
    rayOnceFound(visitors);

    assertThat(raysOf("/api/errors?zone=shop.example")).isEqualTo(List.of(visitors));

    edge.restart(); // the same when the errors are read back from the log
    Await.until(Duration.ofSeconds(10), () -> raysOf("/api/errors?zone=shop.example").equals(List.of(visitors)),
        "the visitor's error read back from the log, and not the doctor's");
    assertThat(rayOnceFound(doctors).json().path("doctor").asBoolean()).isTrue();
  }

  @Test
  void errorsListTheLatestErrorLinesNewestFirst() throws Exception {
    startRefusingEdge();
    // a ray is logged just after its last write, so the next request (on another event loop) can be
    // logged before it: each is waited for, so that the order of the log is the order they were sent
    String first = refusedRay();
    rayOnceFound(first);
    String second = refusedRay();
    rayOnceFound(second);
    String third = refusedRay();
    rayOnceFound(third);

    AdminClient.Response r = edge.admin().get("/api/errors?zone=shop.example&limit=2");

    assertThat(r.status()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.findValuesAsText("ray")).as("/api/errors answered %s", list).isEqualTo(List.of(third, second));
    assertThat(list.get(0).toString()).isEqualTo(rayOnceFound(third).json().toString());
    assertThat(edge.admin().get("/api/errors").json().findValuesAsText("ray")).isEqualTo(List.of(third, second, first));

    edge.restart(); // the recent errors come back from the log, read while the edge already serves
    Await.until(Duration.ofSeconds(10), () -> raysOf("/api/errors?zone=shop.example").equals(List.of(third, second, first)),
        "the errors of before the restart, read back from the log");
    String fourth = refusedRay();
    rayOnceFound(fourth);
    assertThat(raysOf("/api/errors?zone=shop.example")).isEqualTo(List.of(fourth, third, second, first));
    assertThat(edge.admin().get("/api/errors?zone=other.example").status()).isEqualTo(404);
    assertThat(edge.admin().get("/api/errors?limit=0").json().at("/error/field").asText()).isEqualTo("limit");
  }
}
