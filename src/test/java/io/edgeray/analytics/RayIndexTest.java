package io.edgeray.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ray index as a ring of a fixed capacity: the newest rays are found, the oldest give way. */
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
}
