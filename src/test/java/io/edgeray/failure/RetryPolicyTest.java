package io.edgeray.failure;

import static io.edgeray.failure.RetryPolicy.Verdict.GIVE_UP;
import static io.edgeray.failure.RetryPolicy.Verdict.NEW_CONNECTION;
import static io.edgeray.failure.RetryPolicy.Verdict.NEXT_ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of the one retry rule: a failed try and what is known of the request give the verdict. */
class RetryPolicyTest {

  @ParameterizedTest(name = "{0} reused={1} replayable={2} staleDone={3} left={4} poolRetries={5} -> {6}")
  @CsvSource({
      // nothing reached the origin: another origin whenever one is left, whatever the request
      "ANOTHER_ORIGIN, false, false, false, true,  false, NEXT_ORIGIN",
      "ANOTHER_ORIGIN, false, true,  false, true,  true,  NEXT_ORIGIN",
      "ANOTHER_ORIGIN, false, false, false, false, true,  GIVE_UP",
      // a reused keep-alive connection that ended before any answer: once more on a new connection
      "IF_REUSED,      true,  true,  false, true,  false, NEW_CONNECTION",
      "IF_REUSED,      true,  true,  false, false, false, NEW_CONNECTION",
      // ...but only once, only for a replayable request, only on a reused connection
      "IF_REUSED,      true,  true,  true,  true,  false, GIVE_UP",
      "IF_REUSED,      true,  false, false, true,  true,  GIVE_UP",
      "IF_REUSED,      false, true,  false, true,  false, GIVE_UP",
      // a fresh connection that ended early: the origin got the request; a pool may allow another
      "IF_REUSED,      false, true,  false, true,  true,  NEXT_ORIGIN",
      "IF_REUSED,      true,  true,  true,  true,  true,  NEXT_ORIGIN",
      // the origin got the request and failed it (524, malformed 520)
      "NEVER,          false, true,  false, true,  false, GIVE_UP",
      "NEVER,          true,  true,  false, true,  false, GIVE_UP",
      "NEVER,          false, true,  false, true,  true,  NEXT_ORIGIN",
      "NEVER,          false, false, false, true,  true,  GIVE_UP",
      "NEVER,          false, true,  false, false, true,  GIVE_UP",
  })
  void verdictFollowsFromTheFailureAndTheRequest(Retry retry, boolean reused, boolean replayable, boolean staleDone,
      boolean originsLeft, boolean poolRetries, RetryPolicy.Verdict expected) {
    assertThat(RetryPolicy.decide(new RetryPolicy.Facts(retry, reused, replayable, staleDone, originsLeft, poolRetries)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} after {1} allows {2}")
  @CsvSource({
      "CONNECTION_REFUSED, CONNECT,   ANOTHER_ORIGIN",
      "CONNECT_TIMEOUT,    CONNECT,   ANOTHER_ORIGIN",
      "UNREACHABLE,        CONNECT,   ANOTHER_ORIGIN",
      "TLS_HANDSHAKE,      HANDSHAKE, ANOTHER_ORIGIN",
      "TLS_CERTIFICATE,    HANDSHAKE, ANOTHER_ORIGIN",
      "RESPONSE_TIMEOUT,   READ_HEAD, NEVER",
      "WRITE_TIMEOUT,      WRITE,     NEVER",
      "DNS_ERROR,          RESOLVE,   NEVER",
  })
  void whatAFailureAllowsFollowsFromItsClass(OriginFailure failure, Stage stage, Retry expected) {
    ClassifiedFailure f = new ClassifiedFailure(failure, "test");
    assertThat(f.retry()).as("%s at %s", failure, stage).isEqualTo(expected);
  }
}
