package io.edgeray.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * What the native transport reports for a connect, as text, mapped to the taxonomy. The real
 * sockets behind each case are in edge/OriginFailureTest; a reset during connect is a race there
 * (it depends on whether the RST beats the edge's look at the socket), so both outcomes are pinned
 * here with the exception the transport throws.
 */
class ErrorClassifierTest {

  @Test
  void refusedConnectIs521AndMayFailOver() {
    ClassifiedFailure f = ErrorClassifier.classify(Stage.CONNECT,
        new ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:8000"));
    assertThat(f.failure()).isEqualTo(OriginFailure.CONNECTION_REFUSED);
    assertThat(f.failure().failoverAllowed()).isTrue();
  }

  @Test
  void resetDuringConnectIs520LikeAResetAfterTheRequestWasSent() {
    ClassifiedFailure f = ErrorClassifier.classify(Stage.CONNECT,
        new ConnectException("finishConnect(..) failed: Connection reset by peer"));
    assertThat(f.failure()).isEqualTo(OriginFailure.RESPONSE_INCOMPLETE);
    assertThat(f.detail()).isEqualTo(
        "origin reset the connection as soon as it was accepted: finishConnect(..) failed: Connection reset by peer");
  }
}
