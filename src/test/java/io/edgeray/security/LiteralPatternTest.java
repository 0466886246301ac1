package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remembered answers are RE2's own, however the inputs repeat, collide or exceed the table. */
class LiteralPatternTest {
  private static final String SCANNERS = "(?i)(sqlmap|nikto|acunetix|nessus|masscan)";

  @Test
  void aRepeatedInputGetsTheSameAnswerAsTheFirstTime() {
    LiteralPattern p = new LiteralPattern(SCANNERS);

    for (int i = 0; i < 3; i++) {
      assertThat(p.find("sqlmap/1.7.2#stable (https://sqlmap.org)")).isTrue();
      assertThat(p.find("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")).isFalse();
      assertThat(p.find("Mozilla/5.0 Nikto/2.5.0")).isTrue();
    }
  }

  @Test
  void theEmptyInputIsAnsweredAsThePatternAnswersIt() {
    assertThat(new LiteralPattern(SCANNERS).find("")).isFalse();
    assertThat(new LiteralPattern("^$").find("")).isTrue();
    assertThat(new LiteralPattern("x*").find("")).isTrue();
  }

  @Test
  void manyDistinctInputsSharingTheTableAreEachAnsweredRightAgain() {
    LiteralPattern p = new LiteralPattern("7$");
    Pattern re2 = Pattern.compile("7$");
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 500; i++) inputs.add("agent-" + i);
    inputs.add("y".repeat(LiteralPattern.LONGEST_REMEMBERED) + "7"); // too long to remember, matched each time

    for (int round = 0; round < 2; round++) {
      for (String in : inputs) {
        assertThat(p.find(new String(in))).as(in).isEqualTo(re2.matcher(in).find());
      }
    }
  }
}
