package io.edgeray.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeCountsTest {
  @Test
  void countsComeOutInCodeOrderWhateverTheirRange() {
    CodeCounts c = new CodeCounts();
    c.add(1016, 1);
    c.add(522, 2);
    c.add(521, 3);
    c.add(502, 4);
    c.add(522, 1);
    assertThat(c.asText()).containsExactly(
        Map.entry("502", 4L), Map.entry("521", 3L), Map.entry("522", 3L), Map.entry("1016", 1L));
  }

  @Test
  void addAllAndTheTextFormRoundTrip() {
    CodeCounts a = new CodeCounts();
    a.add(530, 2);
    a.add(1000, 1);
    CodeCounts b = new CodeCounts();
    b.addText(Map.of("530", 5L, "520", 1L));
    b.addAll(a);
    assertThat(b.asText()).containsExactly(Map.entry("520", 1L), Map.entry("530", 7L), Map.entry("1000", 1L));
  }

  @Test
  void aDnsOutagesCodeIsCountedWithTheOthersInOrder() {
    CodeCounts c = new CodeCounts();
    c.add(1016, 2);
    c.add(527, 1); // a code no failure has now, from an older record
    c.add(526, 1);
    assertThat(c.asText()).containsExactly(Map.entry("526", 1L), Map.entry("527", 1L), Map.entry("1016", 2L));
  }
}
