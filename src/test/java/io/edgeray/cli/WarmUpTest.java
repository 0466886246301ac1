package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's own edge answers each of its paths with that path's status (a request that got
 * another answer stops it with an error: it would have warmed the wrong code), and it leaves no
 * files behind.
 */
class WarmUpTest {
  @Test
  void everyPathGetsItsOwnAnswerRoundAfterRoundAndTheWarmUpLeavesNoFiles() throws Exception {
    Set<String> before = warmUpDirs();
    WarmUp.Result r = WarmUp.run(30, Duration.ofMinutes(1));
    assertThat(r.requests()).as("30 rounds of refused and stale").isEqualTo(30 * 2);
    assertThat(warmUpDirs()).isEqualTo(before);
  }

  @Test
  void theBudgetEndsTheWarmUpAfterTheRoundItIsIn() throws Exception {
    WarmUp.Result r = WarmUp.run(1_000_000, Duration.ZERO);
    assertThat(r.requests()).as("no round starts once the budget is spent").isZero();
  }

  private static Set<String> warmUpDirs() {
    String[] names = new File(System.getProperty("java.io.tmpdir")).list((dir, name) -> name.startsWith("edgeray-warm-up"));
    return names == null ? Set.of() : Arrays.stream(names).collect(Collectors.toSet());
  }
}
