package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.CliRun;
import org.junit.jupiter.api.Test;

/** {@code edgeray self-test}: a throw-away edge on loopback answers 521 over HTTP and HTTPS, and 200 from an origin that answers. */
class SelfTestCommandTest {
  @Test
  void selfTestPassesWithTwoRayIdsAndAProxied200OnThisMachine() {
    CliRun r = CliRun.of("self-test");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).matches("(?s)self-test passed in \\d+ ms: 521 with a ray id on the page and in the log, over HTTP and HTTPS "
        + "\\([0-9a-f]{16}-SELF, [0-9a-f]{16}-SELF\\); 200 through a loopback origin\\n");
  }
}
