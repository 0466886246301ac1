package io.edgeray.edge;

import io.edgeray.cache.HttpCache;
import io.edgeray.observe.RaySummary;
import io.edgeray.hardening.EdgeTimers;
import io.edgeray.hardening.IdleCodec;
import io.edgeray.hardening.VisitorHttpCodec;
import io.edgeray.upstream.Transport;
import io.edgeray.config.CannotListenException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import io.edgeray.config.Limits;
import io.edgeray.dns.OriginResolver;
import io.edgeray.observe.RayObserver;
import io.edgeray.routing.ImplicitPools;
import io.edgeray.pool.Pools;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.edgeray.tls.HandshakeFailures;
import io.edgeray.tls.TlsContexts;
import io.edgeray.tls.VisitorTlsInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitor-facing listener: binds, builds each connection's pipeline, and drains in-flight
 * rays on shutdown. Origin connections run on the visitor's own event loop. A connection's idle
 * timeout is kept by its handler ({@link VisitorIdle}), not by a handler of its own.
 */
public final class EdgeServer implements AutoCloseable {
  static final String CODEC = "http";
  private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

  private final EdgeContext edge;
  private final EventLoopGroup workers;
  private final int threads;
  private final ChannelGroup visitors = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicBoolean closed = new AtomicBoolean();
  private Channel listener;
  private Channel httpsListener;

  private EdgeServer(EdgeContext edge, int threads) {
    this.edge = edge;
    this.workers = edge.transport.newGroup(threads, "edgeray-loop");
    this.threads = threads;
  }

  /** Starts listening on the config's HTTP address; fails if the address cannot be bound. */
  public static EdgeServer start(EdgeConfig config, RayObserver observer) throws InterruptedException {
    return start(config, observer, Runtime.getRuntime().availableProcessors());
  }

  public static EdgeServer start(EdgeConfig config, RayObserver observer, int threads) throws InterruptedException {
    return start(config, observer, threads, EdgeTimers.SYSTEM);
  }

  /** @param timers where the edge's own visitor timers are scheduled ({@link EdgeTimers#SYSTEM} but in tests) */
  public static EdgeServer start(EdgeConfig config, RayObserver observer, int threads, EdgeTimers timers)
      throws InterruptedException {
    return start(config, observer, threads, new PrometheusRegistry(), timers);
  }

  /**
   * @param registry where the edge's own metrics beyond the observers' go (security events)
   * @param timers where the edge's own visitor timers are scheduled ({@link EdgeTimers#SYSTEM} but in tests)
   */
  public static EdgeServer start(EdgeConfig config, RayObserver observer, int threads, PrometheusRegistry registry,
      EdgeTimers timers) throws InterruptedException {
    Transport transport = Transport.best();
    EdgeContext ctx = new EdgeContext(transport, config, OriginResolver.of(config.resolvers()), observer, registry, timers);
    EdgeServer server = new EdgeServer(ctx, threads);
    try {
      server.bind(config);
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void bind(EdgeConfig config) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap()
        .group(workers)
        .channel(edge.transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, Transport.BUFFERS)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            visitors.add(ch);
            http1(ch.pipeline());
          }
        });
    listener = bind(b, "listen.http", config.httpListen());
    edge.listeningOn((InetSocketAddress) listener.localAddress());
    edge.httpListener = (InetSocketAddress) listener.localAddress();
    LOG.info("edge {} listening on http://{}:{} ({}, {} event loops)", config.node(),
        address().getHostString(), address().getPort(), edge.transport.name(), threads);
    if (config.httpsListen() != null) bindHttps(config, b);
    edge.tls.listening(address().getPort(), httpsListener == null ? -1 : httpsAddress().getPort());
  }

  /** Binds, or says in words which address could not be bound and why. */
  private static Channel bind(ServerBootstrap b, String key, HostPort address) throws InterruptedException {
    InetSocketAddress to = address.toSocketAddress();
    if (to.isUnresolved()) throw CannotListenException.of(key, address, new java.nio.channels.UnresolvedAddressException());
    ChannelFuture bound = b.bind(to).await();
    if (!bound.isSuccess()) throw CannotListenException.of(key, address, bound.cause());
    return bound.channel();
  }

  /** How many visitor connections idle with their codec shed ({@link IdleCodec}): for tests. */
  long dozingVisitors() {
    return visitors.stream().filter(ch -> ch.pipeline().get(IdleCodec.class) != null).count();
  }

  /** The HTTP/1.1 end of a visitor pipeline, plain or after TLS: the codec with our limits, then the visitor handler. */
  private void http1(ChannelPipeline p) {
    p.addLast(CODEC, http1Codec(true));
    p.addLast(new VisitorHandler(edge, () -> http1Codec(false)));
  }

  /** The codec with the limits of the config in force; for a connection's first request, or for a later one after an idle while. */
  private VisitorHttpCodec http1Codec(boolean firstRequest) {
    Limits l = edge.settings.config().limits();
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(l.urlLength() + 32) // method, spaces and version around the URL
        .setMaxHeaderSize(l.requestHead())
        .setMaxChunkSize(64 * 1024)
        .setStrictLineParsing(true);
    return new VisitorHttpCodec(decoder, l.requestHeadTimeout(), edge.timers, firstRequest);
  }

  /** The HTTPS listener: certificate by SNI, then HTTP/1.1 or HTTP/2 by ALPN, into the same visitor handler. */
  private void bindHttps(EdgeConfig config, ServerBootstrap plain) throws InterruptedException {
    VisitorTlsInitializer.Protocols protocols = new VisitorTlsInitializer.Protocols() {
      @Override public void http1(ChannelPipeline p) { EdgeServer.this.http1(p); }
      @Override public ChannelHandler newVisitorHandler() { return new VisitorHandler(edge, null); } // the connection watches idleness
      @Override public Object drainEvent() { return VisitorHandler.DRAIN; }
      @Override public int maxHeaderListSize() { return edge.settings.config().limits().requestHead(); }
      @Override public Duration requestHeadTimeout() { return edge.settings.config().limits().requestHeadTimeout(); }
      @Override public String node() { return edge.settings.config().node(); }
      @Override public void rayFinished(RaySummary ray) { edge.observer.rayFinished(ray); }
      @Override public VisitorTlsInitializer.IdleTimeout idleTimeout(Channel connection, Runnable expired) {
        return new VisitorIdle(edge, connection.eventLoop()) {
          @Override
          void timedOut() {
            expired.run();
          }
        };
      }
    };
    ServerBootstrap b = plain.clone()
        .childAttr(HandshakeFailures.COUNTER, edge.observer::tlsHandshakeFailed) // counted by reason in the metrics
        .childHandler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        visitors.add(ch);
        VisitorTlsInitializer.configure(ch, edge.tls.certificates(), protocols);
      }
    });
    httpsListener = bind(b, "listen.https", config.httpsListen());
    edge.listeningOn(httpsAddress());
    edge.httpsListener = httpsAddress();
    LOG.info("edge {} listening on https://{}:{} ({}, {})", config.node(), httpsAddress().getHostString(),
        httpsAddress().getPort(), TlsContexts.providerName(),
        edge.tls.certificates().isEmpty() ? "no zone has a certificate yet: every handshake fails" : "HTTP/2 and HTTP/1.1");
  }


  /** The bound address (with the real port when the config asked for port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** The bound HTTPS address, or null when HTTPS is off. */
  public InetSocketAddress httpsAddress() {
    return httpsListener == null ? null : (InetSocketAddress) httpsListener.localAddress();
  }

  /** Swaps in a new config for every ray that starts from now on. Listener changes need a restart. */
  public void reload(EdgeConfig config) {
    EdgeContext.Settings old = edge.settings;
    OriginResolver resolver = config.resolvers().equals(old.config().resolvers())
        ? old.resolver() : OriginResolver.of(config.resolvers());
    edge.tls.update(config);
    EdgeContext.Settings next = EdgeContext.Settings.of(config, resolver, edge);
    edge.pools.update(ImplicitPools.withConfigured(config), next.egress()); // before the routes that name them
    edge.settings = next;
    edge.pool.idleTimeout(config.limits().originIdle());
    if (resolver != old.resolver()) old.resolver().close();
  }

  public EdgeConfig config() {
    return edge.settings.config();
  }

  /** The header secret the edge's own doctor sends, so its probes are logged as the doctor's and never counted. */
  public io.edgeray.observe.DoctorMark doctorMark() {
    return edge.doctorMark;
  }

  /** The origin pools with their live health, for the admin API and metrics. */
  public Pools pools() {
    return edge.pools;
  }

  /** The node's HTTP cache (purges, the admin view). */
  /** The visitor certificates, one per zone, as loaded for handshakes. */
  public io.edgeray.tls.CertificateStore certificates() {
    return edge.tls.certificates();
  }

  public HttpCache cache() {
    return edge.cache;
  }

  /** The firewall's and rate limits' recent events, per zone; they outlive reloads. */
  /** Rate limits count on {@code store} from now on (a fleet's shared counters). */
  public void useRateCounters(io.edgeray.security.RateCounterStore store) {
    edge.security.useCounters(store);
  }

  public io.edgeray.security.SecurityEventLog securityEvents() {
    return edge.security.events();
  }

  public int activeRays() {
    return edge.activeRays.get();
  }

  /**
   * Stops accepting, closes idle keep-alive connections, lets in-flight rays finish for up to
   * {@code grace}, then closes what is left.
   */
  public void shutdown(Duration grace) {
    if (closed.get()) return;
    long t0 = System.nanoTime();
    edge.draining = true;
    if (listener != null) listener.close().awaitUninterruptibly();
    if (httpsListener != null) httpsListener.close().awaitUninterruptibly();
    int inFlight = edge.activeRays.get();
    LOG.info("drain started: no new connections, {} rays in flight, waiting up to {} ms for them", inFlight, grace.toMillis());
    visitors.forEach(ch -> ch.pipeline().fireUserEventTriggered(VisitorHandler.DRAIN));
    long deadline = t0 + grace.toNanos();
    while (edge.activeRays.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = edge.activeRays.get();
    long took = (System.nanoTime() - t0) / 1_000_000;
    if (left > 0) {
      LOG.warn("drain cut after {} ms: closing {} rays still in flight (logged as cut)", took, left);
    } else {
      LOG.info("drain done in {} ms: every ray finished", took);
    }
    close();
  }

  /** Closes everything at once; rays still in flight are cut and logged as cut. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    edge.draining = true;
    edge.cutting = true;
    if (listener != null) listener.close();
    if (httpsListener != null) httpsListener.close();
    visitors.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    edge.pool.closeAll();
    edge.pools.close();
    edge.refresher.close();
    edge.monitorLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    edge.cache.storage().close(); // after the last reader: the memory tier's bodies are off the heap, freed by count
    edge.settings.resolver().close();
    edge.tls.close();
  }
}
