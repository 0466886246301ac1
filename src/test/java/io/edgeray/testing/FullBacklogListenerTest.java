package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FullBacklogListenerTest {
  @Test
  void aNewConnectTimesOutBecauseTheSynIsDropped() throws Exception {
    try (FullBacklogListener listener = FullBacklogListener.open(); Socket s = new Socket()) {
      assertThat(listener.queuedConnections()).isPositive();
      long start = System.nanoTime();
      assertThatThrownBy(() -> s.connect(listener.address(), 300)).isInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }
  }

  @Test
  void aClosedPortRefusesTheConnection() throws Exception {
    int port = Ports.closedPort();
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 1000))
          .isInstanceOf(ConnectException.class).hasMessageContaining("refused");
    }
  }
}
