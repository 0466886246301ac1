package io.edgeray.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportTest {
  @AfterEach
  void clear() {
    System.clearProperty("edgeray.transport");
  }

  @Test
  void misspelledTransportIsRefusedNamingTheChoices() {
    System.setProperty("edgeray.transport", "iouring");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Transport::best);
    assertEquals("-Dedgeray.transport=iouring is not a transport: io_uring, epoll or nio (unset: the best this kernel has)",
        e.getMessage());
  }

  @Test
  void nioIsTakenWhenAskedFor() {
    System.setProperty("edgeray.transport", "nio");
    assertEquals("nio", Transport.best().name());
  }
}
