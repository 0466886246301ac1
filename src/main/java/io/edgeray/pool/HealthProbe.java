package io.edgeray.pool;

import io.edgeray.config.MonitorSpec;
import io.edgeray.config.PoolOrigin;
import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.OriginFailure;
import io.edgeray.failure.Stage;
import io.edgeray.tls.OriginLeg;
import io.edgeray.upstream.OriginConnector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One health check of one origin, on the monitor's event loop: a TCP connect, or an HTTP(S)
 * request whose status and body are compared with what the monitor expects. It connects the way
 * visitor traffic does ({@link OriginConnector}, from the same source address), so an origin
 * firewall that blocks the edge shows up in the checks, and a failed check is the same 521, 522
 * or 525 a visitor would get. Like most monitors, an HTTPS check asks for a TLS handshake and an
 * answer, not a valid certificate: checks reach origins by address, where certificates rarely match.
 */
final class HealthProbe {
  private static final int MAX_BODY = 64 * 1024;

  private final EventLoopGroup group;
  private final OriginConnector connector;

  HealthProbe(EventLoopGroup group, OriginConnector connector) {
    this.group = group;
    this.connector = connector;
  }

  CompletableFuture<CheckResult> check(MonitorSpec spec, PoolOrigin origin, InetSocketAddress source) {
    CompletableFuture<CheckResult> result = new CompletableFuture<>();
    long begin = System.nanoTime();
    EventLoop loop = group.next();
    boolean tls = spec.type() == MonitorSpec.Type.HTTPS;
    String host = spec.host() != null ? spec.host() : origin.address().getHostAddress();
    var dial = new OriginConnector.Dial(origin.socketAddress(), source, tls ? OriginLeg.unvalidated() : OriginLeg.PLAIN,
        host, spec.timeout(), OriginConnector.DEFAULT_MAX_RESPONSE_HEAD);
    Channel[] open = new Channel[1];
    loop.schedule(() -> {
      // not connected yet: the TCP (or TLS) handshake got no answer, a 522, not a slow response
      ClassifiedFailure late = open[0] == null
          ? new ClassifiedFailure(OriginFailure.CONNECT_TIMEOUT, "no answer to the connection within " + spec.timeout().toMillis() + " ms")
          : ErrorClassifier.timedOut(Stage.READ_HEAD).withDetail("no answer within " + spec.timeout().toMillis() + " ms");
      if (result.complete(failed(late, begin)) && open[0] != null) open[0].close();
    }, spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
    connector.connect(loop, dial, p -> p.addLast(new HttpObjectAggregator(MAX_BODY), new Answer(spec, result, begin)), null,
        outcome -> {
          if (outcome instanceof OriginConnector.Outcome.Failed f) {
            result.complete(failed(f.failure().withDetail("connect failed: " + f.failure().detail()), begin));
            return;
          }
          Channel ch = ((OriginConnector.Outcome.Connected) outcome).channel();
          open[0] = ch;
          if (result.isDone()) {
            ch.close();
          } else if (spec.type() == MonitorSpec.Type.TCP) {
            result.complete(new CheckResult(Instant.now(), true, null, "connected", millisSince(begin)));
            ch.close();
          } else {
            ch.config().setAutoRead(true);
            ch.writeAndFlush(request(spec, origin));
          }
        });
    return result;
  }

  private static FullHttpRequest request(MonitorSpec spec, PoolOrigin origin) {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(spec.method()), spec.path());
    // without a configured host: the origin as address and port, brackets for IPv6 (RFC 9110 §7.2)
    req.headers().set(HttpHeaderNames.HOST, spec.host() != null ? spec.host() : origin.hostPort());
    req.headers().set(HttpHeaderNames.USER_AGENT, "edgeray-health-check");
    req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return req;
  }

  /** Judges the origin's answer to an HTTP(S) check. */
  private static final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final MonitorSpec spec;
    private final CompletableFuture<CheckResult> result;
    private final long begin;

    Answer(MonitorSpec spec, CompletableFuture<CheckResult> result, long begin) {
      this.spec = spec;
      this.result = result;
      this.begin = begin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
      ClassifiedFailure malformed = res.decoderResult().isFailure() ? ErrorClassifier.malformedResponse(res.decoderResult().cause()) : null;
      result.complete(malformed != null ? failed(malformed, begin) : verdict(spec, res, begin));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.complete(failed(ErrorClassifier.closedEarly(Stage.READ_HEAD)
          .withDetail("the origin closed the connection before a complete response"), begin));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(failed(ErrorClassifier.classify(Stage.READ_HEAD, cause), begin));
      ctx.close();
    }
  }

  private static CheckResult verdict(MonitorSpec spec, FullHttpResponse res, long begin) {
    int code = res.status().code();
    if (!spec.expectedCodes().contains(code)) {
      return new CheckResult(Instant.now(), false, null, "status " + code + ", expected " + spec.expectedCodes(), millisSince(begin));
    }
    if (spec.expectedBody() != null && !res.content().toString(StandardCharsets.UTF_8).contains(spec.expectedBody())) {
      return new CheckResult(Instant.now(), false, null,
          "status " + code + " but the body does not contain \"" + spec.expectedBody() + "\"", millisSince(begin));
    }
    return new CheckResult(Instant.now(), true, null, "status " + code, millisSince(begin));
  }

  private static CheckResult failed(ClassifiedFailure f, long begin) {
    return new CheckResult(Instant.now(), false, f.failure(), f.detail(), millisSince(begin));
  }

  private static long millisSince(long begin) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
  }
}
