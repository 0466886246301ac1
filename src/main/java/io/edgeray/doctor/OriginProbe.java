package io.edgeray.doctor;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.observe.DoctorMark;
import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.Stage;
import io.edgeray.failure.OriginFailure;
import io.edgeray.tls.OriginLeg;
import io.edgeray.upstream.OriginConnector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Makes one connection the way the edge would, through the edge's own {@link OriginConnector}
 * (TCP, then TLS with SNI, then an HTTP/1.1 GET with the visitor's Host), and times and
 * classifies each step with the edge's own {@link ErrorClassifier}, so a probe's "refused" is
 * exactly the edge's 521. The TLS step accepts
 * any certificate: the doctor wants to see and describe a bad one, and judges it separately.
 */
final class OriginProbe implements AutoCloseable {
  private static final Set<String> HEADERS_KEPT = Set.of("edge-ray", "proxy-status", "server", "location", "via");
  static final String USER_AGENT = "edgeray-doctor";

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final Duration timeout;
  /** Sent in {@link DoctorMark#HEADER} so the edge logs the request as the doctor's; null for probes of an origin. */
  private final DoctorMark mark;
  /** The edge's own way to an origin, so "this is what the edge sees" holds by construction. */
  private final OriginConnector connector = new OriginConnector(NioSocketChannel.class);

  OriginProbe(Duration timeout) {
    this(timeout, null);
  }

  OriginProbe(Duration timeout, DoctorMark mark) {
    this.timeout = timeout;
    this.mark = mark;
  }

  /** What to ask once connected; null asks nothing (a bare TCP connect). */
  record Ask(String host, String path, boolean tls) {}

  ProbeResult connectOnly(InetSocketAddress target, InetSocketAddress source) {
    return run(target, source, null);
  }

  ProbeResult run(InetSocketAddress target, InetSocketAddress source, Ask ask) {
    OriginLeg leg = ask != null && ask.tls() ? OriginLeg.unvalidated() : OriginLeg.PLAIN;
    var dial = new OriginConnector.Dial(target, source, leg, ask == null ? null : ask.host(), timeout,
        OriginConnector.DEFAULT_MAX_RESPONSE_HEAD);
    CompletableFuture<OriginConnector.Outcome> outcome = new CompletableFuture<>();
    long start = System.nanoTime();
    connector.connect(group.next(), dial, p -> {}, null, outcome::complete);
    OriginConnector.Outcome o;
    try {
      o = outcome.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return failed(target, source, Stage.CONNECT, new ClassifiedFailure(OriginFailure.CONNECT_TIMEOUT,
          "no answer to the TCP handshake within " + timeout.toMillis() + " ms"), millis(start), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(target, source, Stage.CONNECT, new ClassifiedFailure(OriginFailure.CONNECT_TIMEOUT, "interrupted"),
          millis(start), List.of());
    }
    if (o instanceof OriginConnector.Outcome.Failed f) {
      return failed(target, source, f.stage(), f.failure(), millis(start), List.of());
    }
    Channel ch = ((OriginConnector.Outcome.Connected) o).channel();
    long connectMs = millis(start);
    InetSocketAddress local = (InetSocketAddress) ch.localAddress();
    try {
      if (ask == null) return new ProbeResult(target, local, null, null, connectMs, 0, -1, Map.of(), List.of());
      SslHandler ssl = ch.pipeline().get(SslHandler.class);
      List<X509Certificate> chain = ssl == null ? List.of() : peerChain(ssl);
      ch.config().setAutoRead(true);
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
    if (mark != null) req.headers().set(DoctorMark.HEADER, mark.secret());
    long sent = System.nanoTime();
    ch.writeAndFlush(req);
    if (!head.awaitUninterruptibly(remainingMillis(start))) {
      return failed(target, local, Stage.READ_HEAD, ErrorClassifier.timedOut(Stage.READ_HEAD), connectMs, chain);
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
