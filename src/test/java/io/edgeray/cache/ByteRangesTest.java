package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.cache.ByteRanges.Partial;
import io.edgeray.cache.ByteRanges.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteRangesTest {
  private static ByteRanges.Plan plan(String range) {
    return ByteRanges.parse(range, 1000);
  }

  @Test
  void aSingleRangeIsOneSlice() {
    assertThat(plan("bytes=0-99")).isEqualTo(new Partial(List.of(new Range(0, 99))));
  }

  @Test
  void anOpenEndedRangeRunsToTheEnd() {
    assertThat(plan("bytes=900-")).isEqualTo(new Partial(List.of(new Range(900, 999))));
  }

  @Test
  void aSuffixRangeIsTheLastBytes() {
    assertThat(plan("bytes=-100")).isEqualTo(new Partial(List.of(new Range(900, 999))));
    assertThat(plan("bytes=-5000")).isEqualTo(new Partial(List.of(new Range(0, 999))));
  }

  @Test
  void aLastPositionPastTheEndIsCut() {
    assertThat(plan("bytes=990-5000")).isEqualTo(new Partial(List.of(new Range(990, 999))));
  }

  @Test
  void severalRangesStaySeparateAndOverlappingOnesMerge() {
    assertThat(plan("bytes=0-9, 500-509")).isEqualTo(new Partial(List.of(new Range(0, 9), new Range(500, 509))));
    assertThat(plan("bytes=0-9, 5-20, 21-30")).isEqualTo(new Partial(List.of(new Range(0, 30))));
  }

  @Test
  void aRangeStartingPastTheEndIsUnsatisfiable() {
    assertThat(plan("bytes=1000-")).isInstanceOf(ByteRanges.Unsatisfiable.class);
  }

  @Test
  void aMalformedRangeOrAnotherUnitMeansTheWholeBody() {
    assertThat(plan("bytes=abc")).isInstanceOf(ByteRanges.Whole.class);
    assertThat(plan("bytes=9-1")).isInstanceOf(ByteRanges.Whole.class);
    assertThat(plan("items=0-1")).isInstanceOf(ByteRanges.Whole.class);
  }

  @Test
  void anIfRangeThatDoesNotMatchMeansTheWholeBody() {
    var stored = headers("ETag", "\"v1\"", "Last-Modified", date(T0));
    assertThat(ByteRanges.plan(headers("Range", "bytes=0-1", "If-Range", "\"v0\""), stored, 10)).isInstanceOf(ByteRanges.Whole.class);
    assertThat(ByteRanges.plan(headers("Range", "bytes=0-1", "If-Range", "\"v1\""), stored, 10)).isInstanceOf(Partial.class);
    assertThat(ByteRanges.plan(headers("Range", "bytes=0-1", "If-Range", date(T0)), stored, 10)).isInstanceOf(Partial.class);
    assertThat(ByteRanges.plan(headers("Range", "bytes=0-1", "If-Range", "W/\"v1\""), stored, 10)).isInstanceOf(ByteRanges.Whole.class);
  }
}
