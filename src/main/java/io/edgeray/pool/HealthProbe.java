package io.edgeray.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.edgeray.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One health check of one origin, on the monitor's event loop: a TCP connect, or an HTTP(S)
 * request whose status and body are compared with what the monitor expects. It connects from the
 * same source address as visitor traffic, so an origin firewall that lets visitors' requests in
 * lets the checks in too (and one that blocks the edge shows up in the checks).
 */
final class HealthProbe {
  private static final int MAX_BODY = 64 * 1024;
  private static final SslContext TLS = insecureTls();

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channel;

  HealthProbe(EventLoopGroup group, Class<? extends SocketChannel> channel) {
    this.group = group;
    this.channel = channel;
  }

  CompletableFuture<CheckResult> check(MonitorSpec spec, PoolOrigin origin, InetSocketAddress source) {
    CompletableFuture<CheckResult> result = new CompletableFuture<>();
    long begin = System.nanoTime();
    InetSocketAddress target = origin.socketAddress();
    String host = spec.host() != null ? spec.host() : origin.address().getHostAddress();
    Bootstrap b = new Bootstrap().group(group).channel(channel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (spec.type() == MonitorSpec.Type.TCP) return;
            if (spec.type() == MonitorSpec.Type.HTTPS) {
              SslHandler tls = TLS.newHandler(ch.alloc(), host, origin.port());
              ch.pipeline().addLast(tls);
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY),
                new SimpleChannelInboundHandler<FullHttpResponse>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                    result.complete(verdict(spec, res, begin));
                    ctx.close();
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    result.complete(failed("the origin closed the connection before a complete response", begin));
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    result.complete(failed(describe(cause), begin));
                    ctx.close();
                  }
                });
          }
        });
    ChannelFuture connect = source == null ? b.connect(target) : b.connect(target, source);
    Channel ch = connect.channel();
    ch.eventLoop().schedule(() -> {
      if (result.complete(failed("no answer within " + spec.timeout().toMillis() + " ms", begin))) ch.close();
    }, spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
    connect.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.complete(failed("connect failed: " + describe(f.cause()), begin));
      } else if (spec.type() == MonitorSpec.Type.TCP) {
        result.complete(new CheckResult(Instant.now(), true, "connected", millisSince(begin)));
        f.channel().close();
      } else {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(spec.method()), spec.path());
        // without a configured host: the origin as address and port, brackets for IPv6 (RFC 9110 §7.2)
        req.headers().set(HttpHeaderNames.HOST, spec.host() != null ? spec.host() : origin.hostPort());
        req.headers().set(HttpHeaderNames.USER_AGENT, "edgeray-health-check");
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        f.channel().writeAndFlush(req);
      }
    });
    return result;
  }

  private static CheckResult verdict(MonitorSpec spec, FullHttpResponse res, long begin) {
    int code = res.status().code();
    if (!spec.expectedCodes().contains(code)) {
      return failed("status " + code + ", expected " + spec.expectedCodes(), begin);
    }
    if (spec.expectedBody() != null && !res.content().toString(StandardCharsets.UTF_8).contains(spec.expectedBody())) {
      return failed("status " + code + " but the body does not contain \"" + spec.expectedBody() + "\"", begin);
    }
    return new CheckResult(Instant.now(), true, "status " + code, millisSince(begin));
  }

  private static CheckResult failed(String detail, long begin) {
    return new CheckResult(Instant.now(), false, detail, millisSince(begin));
  }

  private static long millisSince(long begin) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /**
   * Checks reach origins by IP address, where certificates rarely match; like most monitors, an
   * HTTPS check asks for a TLS handshake and an answer, not a valid certificate.
   */
  private static SslContext insecureTls() {
    try {
      return TlsContexts.originClient(null); // the edge's own origin-side TLS, accepting any certificate
    } catch (SSLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
