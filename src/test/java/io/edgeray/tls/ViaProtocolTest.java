package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.HeaderStyle;
import io.edgeray.forwarding.ForwardHeaders;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Issue 17: Via names the protocol the visitor's request came in with (RFC 9110 §7.6.3), 2 for HTTP/2. */
class ViaProtocolTest {
  @Test
  void aRequestReceivedOverHttp2IsForwardedWithVia2() {
    HttpHeaders h = new DefaultHttpHeaders();
    ForwardHeaders.toOrigin(h, "192.0.2.1", "ray", "edgeray-AMS", "https", HeaderStyle.EDGERAY, false, "2");
    assertThat(h.get("via")).isEqualTo("2 edgeray-AMS");
  }

  @Test
  void anEarlierViaIsKeptBeforeOurs() {
    HttpHeaders h = new DefaultHttpHeaders().add("via", "1.1 corp-proxy");
    ForwardHeaders.toOrigin(h, "192.0.2.1", "ray", "edgeray-AMS", "http", HeaderStyle.EDGERAY, false, "1.0");
    assertThat(h.get("via")).isEqualTo("1.1 corp-proxy, 1.0 edgeray-AMS");
  }

  @Test
  void theProtocolOfAnHttp1ChannelIsItsRequestVersion() {
    EmbeddedChannel ch = new EmbeddedChannel();
    assertThat(VisitorTlsInitializer.viaProtocol(ch, HttpVersion.HTTP_1_1)).isEqualTo("1.1");
    assertThat(VisitorTlsInitializer.viaProtocol(ch, HttpVersion.HTTP_1_0)).isEqualTo("1.0");
    ch.close();
  }
}
