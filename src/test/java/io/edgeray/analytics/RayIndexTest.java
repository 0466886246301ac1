package io.edgeray.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.failure.OriginFailure;
import io.edgeray.observe.AccessLog;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import io.edgeray.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ray index as a ring of a fixed capacity: the newest rays are found, the oldest give way; at
 * start it reads the log backwards from its end, so the read costs the capacity, not the log.
 */
class RayIndexTest {
  @TempDir Path dir;

  private static String ray(int i) {
    return String.format(Locale.ROOT, "%016x-TST", 0x8f3a1c0d00000000L + i * 7919L);
  }

  /** A log of {@code n} lines of rays 0..n-1, learnt by the index as at start (read on its own thread: waited for). */
  private RayIndex indexOf(int n, int capacity) throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < n; i++) {
      log.append("{\"ray\":\"").append(ray(i)).append("\",\"zone\":\"z.test\",\"status\":200,\"failure\":null,\"n\":")
          .append(i).append("}\n");
    }
    Path file = dir.resolve("access.jsonl");
    Files.writeString(file, log);
    RayIndex index = new RayIndex(capacity);
    index.opened(file, Files.size(file));
    index.awaitRead(Duration.ofSeconds(10));
    return index;
  }

  @Test
  void everyRayUpToTheCapacityIsFoundWithItsOwnLine() throws Exception {
    try (RayIndex index = indexOf(3000, 5000)) { // grows past its first ring of 1024 twice
      assertThat(index.size()).isEqualTo(3000);
      for (int i : new int[] {0, 1, 1023, 1024, 2047, 2048, 2999}) {
        assertThat(index.line(ray(i))).hasValueSatisfying(l -> assertThat(l).contains("\"" + ray(i) + "\"").endsWith(",\"n\":" + i + "}"));
      }
    }
  }

  @Test
  void pastTheCapacityTheOldestRaysAreForgottenAndTheNewestKept() throws Exception {
    try (RayIndex index = indexOf(4000, 1500)) {
      assertThat(index.size()).isEqualTo(1500);
      assertThat(index.line(ray(0))).isEmpty();
      assertThat(index.line(ray(2499))).isEmpty();
      assertThat(index.line(ray(2500))).hasValueSatisfying(l -> assertThat(l).endsWith(",\"n\":2500}"));
      assertThat(index.line(ray(3999))).hasValueSatisfying(l -> assertThat(l).endsWith(",\"n\":3999}"));
    }
  }

  @Test
  void aRayIdOfAnotherShapeIsFoundToo() throws Exception {
    Path file = dir.resolve("access.jsonl");
    Files.writeString(file, "{\"ray\":\"not-hex-at-all\",\"zone\":\"z.test\",\"status\":521,\"failure\":\"x\"}\n");
    try (RayIndex index = new RayIndex(10)) {
      index.opened(file, Files.size(file));
      index.awaitRead(Duration.ofSeconds(10));
      assertThat(index.line("not-hex-at-all")).isPresent();
      assertThat(index.line("not-hex-at-alm")).isEmpty();
      assertThat(index.errors(null, 10)).hasSize(1);
    }
  }

  @Test
  void theSameRandomBitsOnTwoNodesAreTwoKeys() {
    assertThat(RayIndex.key("8f3a1c0d2b4e6a71-AMS")).isNotEqualTo(RayIndex.key("8f3a1c0d2b4e6a71-SIN"));
  }

  /** A line of the shape the access log writes (ray, zone, status and failure first), without its newline. */
  private static String line(int i, String zone, int status, String failure) {
    return "{\"time\":\"2026-12-01T10:00:00Z\",\"ray\":\"" + ray(i) + "\",\"zone\":\"" + zone + "\",\"status\":" + status
        + ",\"failure\":" + (failure == null ? "null" : "\"" + failure + "\"") + ",\"n\":" + i + "}";
  }

  /** Even rays are 521s, of zone a.test or b.test by turns; odd rays are 200s of c.test. */
  private static String mixed(int i) {
    if (i % 2 == 1) return line(i, "c.test", 200, null);
    return line(i, i % 4 == 0 ? "a.test" : "b.test", 521, "CONNECTION_REFUSED");
  }

  private static List<String> raysOf(List<String> lines) {
    List<String> rays = new ArrayList<>();
    for (String l : lines) {
      int from = l.indexOf("\"ray\":\"") + 7;
      rays.add(l.substring(from, l.indexOf('"', from)));
    }
    return rays;
  }

  /** Ray ids {@code from, from - step, ...}, {@code count} of them. */
  private static List<String> raysDown(int from, int step, int count) {
    List<String> rays = new ArrayList<>();
    for (int i = 0; i < count; i++) rays.add(ray(from - i * step));
    return rays;
  }

  private static String log(int from, int to, java.util.function.IntFunction<String> line) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) b.append(line.apply(i)).append('\n');
    return b.toString();
  }

  private static RayIndex opened(RayIndex index, Path file) throws Exception {
    index.opened(file, Files.size(file));
    index.awaitRead(Duration.ofSeconds(10));
    return index;
  }

  @Test
  void aLogOfManyMoreLinesThanTheCapacityIsReadFromItsEndOnlyAndItsNewestErrorsAreKept() throws Exception {
    Path file = dir.resolve("access.jsonl");
    String head = log(0, 15_000, RayIndexTest::mixed);
    Files.writeString(file, head + log(15_000, 20_000, RayIndexTest::mixed));
    long tail = Files.size(file) - head.getBytes(StandardCharsets.UTF_8).length; // the last 5,000 lines

    try (RayIndex index = opened(new RayIndex(5000), file)) {
      assertThat(index.size()).isEqualTo(5000);
      for (int i : new int[] {15_000, 15_001, 17_777, 19_998, 19_999}) assertThat(index.line(ray(i))).hasValue(mixed(i));
      assertThat(index.line(ray(14_999))).isEmpty();
      assertThat(index.line(ray(0))).isEmpty();
      assertThat(index.linesParsed()).isEqualTo(5000);
      assertThat(index.bytesRead()).isLessThan(tail + 2 * LinesFromTheEnd.CHUNK).isLessThan(Files.size(file) / 3);
      // the newest ERRORS_KEPT of 2,500 errors, and of each zone's 1,250
      assertThat(raysOf(index.errors(null, RayIndex.ERRORS_KEPT))).isEqualTo(raysDown(19_998, 2, RayIndex.ERRORS_KEPT));
      assertThat(raysOf(index.errors("a.test", RayIndex.ERRORS_KEPT))).isEqualTo(raysDown(19_996, 4, RayIndex.ERRORS_KEPT));
      assertThat(raysOf(index.errors("b.test", 3))).isEqualTo(raysDown(19_998, 4, 3));
      assertThat(index.errors("b.test", RayIndex.ERRORS_KEPT)).hasSize(RayIndex.ERRORS_KEPT).last().isEqualTo(mixed(16_002));
      assertThat(index.errors("c.test", 10)).isEmpty();
    }
  }

  @Test
  void theRotatedFileIsReadAfterTheCurrentOneWhenTheCurrentOneHoldsFewerLinesThanTheCapacity() throws Exception {
    Path file = dir.resolve("access.jsonl");
    Files.writeString(dir.resolve("access.jsonl.1"), log(0, 2000, RayIndexTest::mixed));
    Files.writeString(file, log(2000, 2500, RayIndexTest::mixed));

    try (RayIndex index = opened(new RayIndex(1000), file)) {
      assertThat(index.size()).isEqualTo(1000);
      assertThat(index.line(ray(1499))).isEmpty();
      assertThat(index.line(ray(1500))).hasValue(mixed(1500));
      assertThat(index.line(ray(1999))).hasValue(mixed(1999));
      assertThat(index.line(ray(2000))).hasValue(mixed(2000));
      assertThat(index.line(ray(2499))).hasValue(mixed(2499));
      assertThat(index.linesParsed()).isEqualTo(1000);
      assertThat(raysOf(index.errors(null, 500))).isEqualTo(raysDown(2498, 2, 500)); // across the two files, newest first
    }
  }

  @Test
  void aTornLastLineIsLeftOutAndALineLongerThanAChunkIsFoundWhole() throws Exception {
    Path file = dir.resolve("access.jsonl");
    String longLine = line(1, "a.test", 502, null).replace("\"n\":1}", "\"n\":1,\"detail\":\"" + "x".repeat(3 * LinesFromTheEnd.CHUNK) + "\"}");
    String torn = line(3, "a.test", 200, null).substring(0, 60);
    Files.writeString(file, line(0, "a.test", 200, null) + "\n" + longLine + "\n" + line(2, "a.test", 200, null) + "\n" + torn);

    try (RayIndex index = opened(new RayIndex(10), file)) {
      assertThat(index.size()).isEqualTo(3);
      assertThat(index.line(ray(0))).hasValue(line(0, "a.test", 200, null));
      assertThat(index.line(ray(1))).hasValue(longLine);
      assertThat(index.line(ray(2))).hasValue(line(2, "a.test", 200, null));
      assertThat(index.line(ray(3))).isEmpty();
      assertThat(index.errors("a.test", 10)).containsExactly(longLine);
    }
  }

  @Test
  void everyChunkSizeFindsTheSameLinesAsTheyAreInTheFile() throws Exception {
    Path file = dir.resolve("access.jsonl");
    // lengths that vary, so that newlines fall everywhere in a chunk, and a first line without a ray
    Files.writeString(file, "not json\n" + log(0, 300, i -> line(i, "z" + "z".repeat(i % 37) + ".test", 200, null)));
    for (int chunk : new int[] {1, 2, 7, 100, 4096}) {
      try (RayIndex index = opened(new RayIndex(1000, chunk, Runnable::run), file)) {
        assertThat(index.size()).as("chunk %d", chunk).isEqualTo(300);
        assertThat(index.linesParsed()).isEqualTo(301);
        for (int i = 0; i < 300; i++) assertThat(index.line(ray(i))).as("chunk %d", chunk).hasValue(line(i, "z" + "z".repeat(i % 37) + ".test", 200, null));
      }
    }
  }

  private static RaySummary refused(int i) {
    return new RaySummary(Instant.EPOCH, ray(i), "TST", "127.0.0.1", "GET", "a.test", "/", "a.test", 521, 0,
        OriginFailure.CONNECTION_REFUSED, null, null, "127.0.0.1:1",
        List.of(new Attempt("127.0.0.1:1", null, OriginFailure.CONNECTION_REFUSED, null, 1, false)), 0, 0, 1, 1, 1, "t", false, Map.of());
  }

  @Test
  void raysTheLogWritesWhileTheReadRunsStayAfterTheLinesReadAndTheOldestReadGiveWay() throws Exception {
    Path file = dir.resolve("access.jsonl");
    Files.writeString(file, log(0, 10, i -> line(i, "a.test", 521, "CONNECTION_REFUSED")));
    CompletableFuture<Runnable> held = new CompletableFuture<>(); // the read, held back until the log wrote more
    try (RayIndex index = new RayIndex(10, LinesFromTheEnd.CHUNK, held::complete)) {
      AccessLog log = new AccessLog(file.toString(), index);
      try {
        for (int i = 10; i < 13; i++) log.rayFinished(refused(i));
        Await.until(Duration.ofSeconds(10), () -> index.size() == 3, "the three new rays flushed and indexed");
      } finally {
        log.close();
      }
      assertThat(index.errors("a.test", 20)).hasSize(3); // the lines before the open are not read yet

      held.get(10, java.util.concurrent.TimeUnit.SECONDS).run(); // the read, with the new lines already in the file
      index.awaitRead(Duration.ofSeconds(10));

      assertThat(index.size()).isEqualTo(10);
      assertThat(index.linesParsed()).isEqualTo(10); // up to the size at the open: the new lines are not read again
      assertThat(index.line(ray(2))).isEmpty();
      assertThat(index.line(ray(3))).hasValue(line(3, "a.test", 521, "CONNECTION_REFUSED"));
      assertThat(index.line(ray(12))).hasValueSatisfying(l -> assertThat(l).contains("\"ray\":\"" + ray(12) + "\""));
      assertThat(raysOf(index.errors("a.test", 20))).isEqualTo(raysDown(12, 1, 13));
      assertThat(raysOf(index.errors(null, 20))).isEqualTo(raysDown(12, 1, 13));
    }
  }

  @Test
  void theStartUpReadWaitsUntilTheEdgeServesThenFindsTheOldRays() throws Exception {
    Path file = dir.resolve("access.jsonl");
    Files.writeString(file, log(0, 5, i -> line(i, "a.test", 521, "CONNECTION_REFUSED")));
    CompletableFuture<Void> serving = new CompletableFuture<>();
    try (RayIndex index = new RayIndex(10, serving)) {
      index.opened(file, Files.size(file));
      assertThat(index.linesParsed()).isZero();
      assertThat(index.line(ray(4))).isEmpty(); // not read yet: the edge is still starting

      serving.complete(null);
      index.awaitRead(Duration.ofSeconds(10));

      assertThat(index.linesParsed()).isEqualTo(5);
      assertThat(index.line(ray(4))).hasValue(line(4, "a.test", 521, "CONNECTION_REFUSED"));
    }
  }
}
