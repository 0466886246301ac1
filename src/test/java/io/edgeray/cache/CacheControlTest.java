package io.edgeray.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheControlTest {
  @Test
  void directivesFromSeveralFieldLinesAreOneSet() {
    CacheControl cc = CacheControl.parse(List.of("public, max-age=60", "s-maxage=120"));
    assertThat(cc.has("public")).isTrue();
    assertThat(cc.seconds("max-age")).hasValue(60);
    assertThat(cc.seconds("s-maxage")).hasValue(120);
  }

  @Test
  void namesAreCaseInsensitiveAndTheFirstOccurrenceWins() {
    CacheControl cc = CacheControl.parse("Max-Age=10, max-age=99");
    assertThat(cc.seconds("max-age")).hasValue(10);
  }

  @Test
  void aQuotedArgumentMayHoldCommas() {
    CacheControl cc = CacheControl.parse("no-cache=\"Set-Cookie, X-Secret\", max-age=5");
    assertThat(cc.fieldNames("no-cache")).containsExactly("set-cookie", "x-secret");
    assertThat(cc.hasUnqualified("no-cache")).isFalse();
    assertThat(cc.seconds("max-age")).hasValue(5);
  }

  @Test
  void aBrokenNumberReadsAsZeroSoTheResponseIsStale() {
    assertThat(CacheControl.parse("max-age=abc").seconds("max-age")).hasValue(0);
    assertThat(CacheControl.parse("max-age").seconds("max-age")).hasValue(0);
  }

  @Test
  void aHugeNumberIsCappedAtTwoToTheThirtyFirst() {
    assertThat(CacheControl.parse("max-age=99999999999999999999").seconds("max-age")).hasValue(2147483648L);
  }

  @Test
  void anAbsentDirectiveHasNoValue() {
    assertThat(CacheControl.parse("public").seconds("max-age")).isEmpty();
    assertThat(CacheControl.parse((String) null).isEmpty()).isTrue();
  }
}
