package io.edgeray.doctor;

import io.edgeray.origin.ClassifiedFailure;
import io.edgeray.origin.ErrorClassifier;
import io.edgeray.origin.Stage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.edgeray.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Makes one connection the way the edge would (TCP, then TLS with SNI, then an HTTP/1.1 GET with
 * the visitor's Host) and times and classifies each step with the edge's own
 * {@link ErrorClassifier}, so a probe's "refused" is exactly the edge's 521. The TLS step accepts
 * any certificate: the doctor wants to see and describe a bad one, and judges it separately.
 */
final class OriginProbe implements AutoCloseable {
  private static final Set<String> HEADERS_KEPT = Set.of("edge-ray", "proxy-status", "server", "location", "via");
  static final String USER_AGENT = "edgeray-doctor";

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final Duration timeout;
  private final SslContext tls;

  OriginProbe(Duration timeout) {
    this.timeout = timeout;
    try {
      this.tls = TlsContexts.originClient(null); // the edge's own origin-side TLS, accepting any certificate
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the probe's TLS context: " + e.getMessage(), e);
    }
  }

  /** What to ask once connected; null asks nothing (a bare TCP connect). */
  record Ask(String host, String path, boolean tls) {}

  ProbeResult connectOnly(InetSocketAddress target, InetSocketAddress source) {
    return run(target, source, null);
  }

  ProbeResult run(InetSocketAddress target, InetSocketAddress source, Ask ask) {
    Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (ask == null) return;
            if (ask.tls()) {
              SslHandler h = tls.newHandler(ch.alloc(), ask.host(), target.getPort());
              h.setHandshakeTimeoutMillis(timeout.toMillis());
              ch.pipeline().addLast(h);
            }
            ch.pipeline().addLast(new HttpClientCodec());
          }
        });
    long start = System.nanoTime();
    ChannelFuture connected = source == null ? b.connect(target) : b.connect(target, source);
    if (!connected.awaitUninterruptibly(timeout.toMillis() + 1000) || !connected.isSuccess()) {
      Throwable cause = connected.cause() != null ? connected.cause()
          : new io.netty.channel.ConnectTimeoutException("connection timed out after " + timeout.toMillis() + " ms");
      connected.channel().close();
      return failed(target, source, Stage.CONNECT, ErrorClassifier.classify(Stage.CONNECT, cause), millis(start), List.of());
    }
    Channel ch = connected.channel();
    long connectMs = millis(start);
    InetSocketAddress local = (InetSocketAddress) ch.localAddress();
    try {
      if (ask == null) return new ProbeResult(target, local, null, null, connectMs, 0, -1, Map.of(), List.of());
      List<X509Certificate> chain = List.of();
      SslHandler ssl = ch.pipeline().get(SslHandler.class);
      if (ssl != null) {
        var handshake = ssl.handshakeFuture();
        if (!handshake.awaitUninterruptibly(remainingMillis(start)) || !handshake.isSuccess()) {
          Throwable cause = handshake.cause() != null ? handshake.cause()
              : new SSLException("the TLS handshake did not finish in " + timeout.toMillis() + " ms");
          return failed(target, local, Stage.HANDSHAKE, ErrorClassifier.classify(Stage.HANDSHAKE, cause), connectMs, List.of());
        }
        chain = peerChain(ssl);
      }
      return request(ch, target, local, ask, connectMs, chain, start);
    } finally {
      ch.close().awaitUninterruptibly(1000);
    }
  }

  private ProbeResult request(Channel ch, InetSocketAddress target, InetSocketAddress local, Ask ask, long connectMs,
      List<X509Certificate> chain, long start) {
    Promise<HttpResponse> head = ch.eventLoop().newPromise();
    ch.pipeline().addLast(new SimpleChannelInboundHandler<HttpObject>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg.decoderResult().isFailure()) {
          head.tryFailure(new MalformedResponse(msg.decoderResult().cause()));
        } else if (msg instanceof HttpResponse r) {
          head.trySuccess(r);
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        head.tryFailure(new EarlyClose());
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        head.tryFailure(cause);
      }
    });
    DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, ask.path());
    req.headers().set(HttpHeaderNames.HOST, ask.host()).set(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .set(HttpHeaderNames.ACCEPT, "*/*").set(HttpHeaderNames.CONNECTION, "close");
    long sent = System.nanoTime();
    ch.writeAndFlush(req);
    if (!head.awaitUninterruptibly(remainingMillis(start))) {
      return failed(target, local, Stage.READ_HEAD, ErrorClassifier.classify(Stage.READ_HEAD, ReadTimeoutException.INSTANCE),
          connectMs, chain);
    }
    if (!head.isSuccess()) {
      Throwable cause = head.cause();
      ClassifiedFailure f = cause instanceof EarlyClose ? ErrorClassifier.closedEarly(Stage.READ_HEAD)
          : cause instanceof MalformedResponse m ? ErrorClassifier.malformedResponse(m.getCause())
          : ErrorClassifier.classify(Stage.READ_HEAD, cause);
      return failed(target, local, Stage.READ_HEAD, f, connectMs, chain);
    }
    HttpResponse r = head.getNow();
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : r.headers()) {
      String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
      if (HEADERS_KEPT.contains(name)) headers.putIfAbsent(name, h.getValue());
    }
    return new ProbeResult(target, local, null, null, connectMs, r.status().code(), millis(sent), Map.copyOf(headers), chain);
  }

  private static List<X509Certificate> peerChain(SslHandler ssl) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x) out.add(x);
      }
    } catch (SSLPeerUnverifiedException e) {
      // no certificate (anonymous suites are off, so this does not happen with TLS 1.2 and 1.3)
    }
    return List.copyOf(out);
  }

  private static ProbeResult failed(InetSocketAddress target, InetSocketAddress local, Stage stage, ClassifiedFailure f,
      long connectMs, List<X509Certificate> chain) {
    return new ProbeResult(target, local, f, stage, connectMs, 0, -1, Map.of(), chain);
  }

  /**
   * What is left of one probe's budget: the connect, the handshake and the response head together
   * wait at most the timeout, so no origin, however slow at each step, makes a probe take longer.
   */
  private long remainingMillis(long start) {
    return Math.max(1, timeout.toMillis() - millis(start));
  }

  private static long millis(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3000);
  }

  private static final class EarlyClose extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private static final class MalformedResponse extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedResponse(Throwable cause) {
      super(cause);
    }
  }
}
