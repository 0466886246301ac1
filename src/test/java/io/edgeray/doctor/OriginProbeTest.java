package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeray.failure.Stage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OriginProbeTest {
  @Test
  void aFailedTlsHandshakeIsTheProbesResultAndNoUnhandledPipelineError() throws Exception {
    Logger pipeline = (Logger) LoggerFactory.getLogger(io.netty.channel.DefaultChannelPipeline.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    pipeline.addAppender(seen);
    ProbeResult r;
    try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // an origin that knows no certificate for the name: it reads the ClientHello's first bytes and
      // answers a fatal unrecognized_name alert, as the edge's own HTTPS listener does for a zone without one
      CompletableFuture.runAsync(() -> {
        try (Socket s = origin.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          in.readNBytes(5);
          out.write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 112});
          out.flush();
          in.read(); // until the probe closes
        } catch (java.io.IOException e) {
          // the probe went away first
        }
      });
      // closing the probe waits for its event loops to finish, so whatever it was going to log is logged
      try (OriginProbe probe = new OriginProbe(Duration.ofSeconds(5))) {
        r = probe.run(new InetSocketAddress(origin.getInetAddress(), origin.getLocalPort()), null,
            new OriginProbe.Ask("nameless.test", "/", true));
      }
    } finally {
      pipeline.detachAppender(seen);
    }
    assertThat(r.failedAt()).isEqualTo(Stage.HANDSHAKE);
    assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("reached at the tail"));
  }
}
