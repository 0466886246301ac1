package io.edgeray.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.phase.SharedFields;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VisitorHttpCodecTest {
  private static final SharedFields STORED = SharedFields.of(new DefaultHttpHeaders()
      .add("Date", "Wed, 02 Dec 2026 20:00:00 GMT")
      .add("Content-Type", "text/html")
      .add("ETag", "\"v1\"")
      .add("Cache-Control", "max-age=3600"));

  @Test
  void aStoredCopysFieldsGoOutAsTheBytesTheyWereEncodedToWithThePerHitFieldsAfterThem() {
    HttpHeaders hit = STORED.copy();
    hit.set("Age", "5");
    hit.set("Content-Length", "3");
    hit.add("Cache-Status", "edgeray-AMS; hit; ttl=3595");

    ByteBuf probe = Unpooled.buffer();
    assertThat(SharedFields.writeTo(hit, probe)).as("the shared bytes are used").isTrue();
    probe.release();
    assertThat(answer("GET", hit)).isEqualTo("HTTP/1.1 200 OK\r\n"
        + "Date: Wed, 02 Dec 2026 20:00:00 GMT\r\nContent-Type: text/html\r\nETag: \"v1\"\r\nCache-Control: max-age=3600\r\n"
        + "Age: 5\r\nContent-Length: 3\r\nCache-Status: edgeray-AMS; hit; ttl=3595\r\n\r\nabc");
    assertThat(answer("GET", hit)).isEqualTo(answer("GET", new DefaultHttpHeaders().add(hit)));
  }

  @Test
  void aSharedFieldAPhaseChangedIsEncodedFieldByFieldWithItsNewValueAtTheEnd() {
    HttpHeaders hit = STORED.copy();
    hit.set("Content-Length", "3");
    hit.set("Cache-Control", "no-store");

    ByteBuf probe = Unpooled.buffer();
    assertThat(SharedFields.writeTo(hit, probe)).isFalse();
    assertThat(probe.readableBytes()).as("nothing written when the shared bytes do not apply").isZero();
    probe.release();
    assertThat(answer("GET", hit)).isEqualTo("HTTP/1.1 200 OK\r\n"
        + "Date: Wed, 02 Dec 2026 20:00:00 GMT\r\nContent-Type: text/html\r\nETag: \"v1\"\r\n"
        + "Content-Length: 3\r\nCache-Control: no-store\r\n\r\nabc");
  }

  @Test
  void aCopysChangesNeverReachTheSharedFieldsOrTheNextCopy() {
    HttpHeaders first = STORED.copy();
    first.remove("ETag");
    first.set("Content-Length", "3");
    HttpHeaders next = STORED.copy();
    next.set("Content-Length", "3");

    assertThat(STORED.fields().get("ETag")).isEqualTo("\"v1\"");
    assertThat(answer("HEAD", next)).isEqualTo("HTTP/1.1 200 OK\r\n"
        + "Date: Wed, 02 Dec 2026 20:00:00 GMT\r\nContent-Type: text/html\r\nETag: \"v1\"\r\nCache-Control: max-age=3600\r\n"
        + "Content-Length: 3\r\n\r\n");
  }

  /** What the visitor's codec writes for a 200 with body "abc" to a request with this method. */
  private static String answer(String method, HttpHeaders headers) {
    EmbeddedChannel ch = new EmbeddedChannel(new VisitorHttpCodec(new HttpDecoderConfig(), Duration.ofSeconds(10)));
    try {
      ch.writeInbound(Unpooled.copiedBuffer(method + " / HTTP/1.1\r\nHost: a.test\r\n\r\n", StandardCharsets.US_ASCII));
      Object request;
      while ((request = ch.readInbound()) != null) ReferenceCountUtil.release(request);
      ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), headers, EmptyHttpHeaders.INSTANCE));
      StringBuilder out = new StringBuilder();
      ByteBuf b;
      while ((b = ch.readOutbound()) != null) {
        out.append(b.toString(StandardCharsets.US_ASCII));
        b.release();
      }
      return out.toString();
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
