package io.edgeray.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' one origin: a real HTTP/1.1 server on a loopback port, over plain TCP or TLS, that
 * acts out one {@link Fault} at a time. Raw sockets and a thread per connection, so every fault is
 * exactly the bytes, FINs and RSTs it promises; nothing in between (no HTTP library) tidies them up.
 *
 * <pre>{@code
 * try (FaultyOrigin origin = FaultyOrigin.start()) {
 *   origin.fault(Fault.RESET_MID_BODY);
 *   ... point the edge at origin.port() ...
 * }
 * FaultyOrigin refused = FaultyOrigin.start(Fault.REFUSE);                          // nothing listens
 * FaultyOrigin expired = FaultyOrigin.startTls(pki, Fault.EXPIRED_CERTIFICATE, "shop.test");
 * }</pre>
 */
public final class FaultyOrigin implements AutoCloseable {
  private static final Duration JOIN_ON_CLOSE = Duration.ofSeconds(2);

  private final ServerSocket server; // null for REFUSE
  private final Socket holder; // REFUSE: bound, never listening, so the port stays ours and refuses
  private final boolean tls;
  private final Thread acceptor;
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();
  private final List<ReceivedRequest> requests = new ArrayList<>(); // guarded by itself
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Fault fault;
  private volatile int statusCode = 502;
  private volatile Duration slowDelay = Duration.ofSeconds(1);
  private volatile String summaryName;

  private FaultyOrigin(InetAddress bind, int port, Fault fault, ServerSocket tlsServer) throws IOException {
    this.fault = Objects.requireNonNull(fault);
    this.tls = tlsServer != null;
    if (fault == Fault.REFUSE) {
      holder = new Socket();
      holder.bind(new InetSocketAddress(bind, port));
      server = null;
      acceptor = null;
      return;
    }
    holder = null;
    server = tlsServer != null ? tlsServer : new ServerSocket(port, 128, bind);
    acceptor = new Thread(this::acceptLoop, "faulty-origin-" + server.getLocalPort() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts on 127.0.0.1, on a free port, serving {@link Fault#OK}. */
  public static FaultyOrigin start() throws IOException {
    return start(Fault.OK);
  }

  /** Starts on 127.0.0.1, on a free port, with {@code fault}; a certificate fault needs {@link #startTls(TestPki, Fault, String...)}. */
  public static FaultyOrigin start(Fault fault) throws IOException {
    return start(Ports.LOOPBACK, 0, fault);
  }

  /** Starts on a given local address, e.g. an extra address inside a {@link NetNamespace}. */
  public static FaultyOrigin start(InetAddress bind, int port) throws IOException {
    return start(bind, port, Fault.OK);
  }

  public static FaultyOrigin start(InetAddress bind, int port, Fault fault) throws IOException {
    if (fault.isCertificate()) throw new IllegalArgumentException(fault + " is a TLS origin: use startTls");
    return new FaultyOrigin(bind, port, fault, null);
  }

  /** Starts a TLS origin on 127.0.0.1 showing {@code leaf}, serving {@link Fault#OK}. */
  public static FaultyOrigin startTls(TestPki.Leaf leaf) throws IOException {
    SSLServerSocket s = (SSLServerSocket) leaf.jdkServer().getServerSocketFactory().createServerSocket(0, 128, Ports.LOOPBACK);
    return new FaultyOrigin(Ports.LOOPBACK, 0, Fault.OK, s);
  }

  /**
   * Starts a TLS origin on 127.0.0.1 for {@code names}: a certificate fault picks the certificate
   * (expired, not yet valid, self-signed, wrong host) and then answers as {@link Fault#OK}; any
   * other fault shows a valid certificate of {@code pki} and acts over TLS.
   */
  public static FaultyOrigin startTls(TestPki pki, Fault fault, String... names) throws IOException {
    if (fault == Fault.REFUSE || fault == Fault.PLAIN_ON_TLS_PORT) {
      throw new IllegalArgumentException(fault + " has no TLS listener: use start(" + fault + ")");
    }
    TestPki.Leaf leaf = switch (fault) {
      case EXPIRED_CERTIFICATE -> pki.expired(names);
      case NOT_YET_VALID_CERTIFICATE -> pki.notYetValid(names);
      case SELF_SIGNED_CERTIFICATE -> pki.selfSigned(names);
      case WRONG_HOST_CERTIFICATE -> pki.wrongHost();
      default -> pki.issue(names);
    };
    SSLServerSocket s = (SSLServerSocket) leaf.jdkServer().getServerSocketFactory().createServerSocket(0, 128, Ports.LOOPBACK);
    return new FaultyOrigin(Ports.LOOPBACK, 0, fault, s);
  }

  public FaultyOrigin fault(Fault fault) {
    Objects.requireNonNull(fault);
    if (fault != this.fault && (fault.chosenAtStart() || this.fault.chosenAtStart())) {
      throw new IllegalStateException("cannot switch from " + this.fault + " to " + fault + ": start a new origin");
    }
    this.fault = fault;
    return this;
  }

  /** Whether this origin speaks TLS. */
  public boolean tls() {
    return tls;
  }

  /**
   * Makes {@link Fault#OK} answer with one line of text instead of JSON, for tests that compare
   * answers whole: {@code origin=NAME scheme=http|https xfp=... sni=... host=... bytes=N ext=[...]}
   * (ext: the names of headers that start with x-http2).
   */
  public FaultyOrigin summaryEcho(String name) {
    this.summaryName = Objects.requireNonNull(name);
    return this;
  }

  String summaryName() {
    return summaryName;
  }

  public Fault fault() {
    return fault;
  }

  /** The status {@link Fault#STATUS} answers with. */
  public FaultyOrigin statusCode(int code) {
    if (code < 100 || code > 999) throw new IllegalArgumentException("not a status code: " + code);
    this.statusCode = code;
    return this;
  }

  int statusCode() {
    return statusCode;
  }

  /** How long {@link Fault#SLOW_HEAD} waits before answering, and {@link Fault#SLOW_BODY} between bytes. */
  public FaultyOrigin slowDelay(Duration delay) {
    this.slowDelay = Objects.requireNonNull(delay);
    return this;
  }

  Duration slowDelay() {
    return slowDelay;
  }

  public int port() {
    return server != null ? server.getLocalPort() : holder.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(server != null ? server.getInetAddress() : holder.getLocalAddress(), port());
  }

  /** {@code http://127.0.0.1:port} (https for a TLS origin; or the bound address). */
  public String baseUrl() {
    String host = address().getAddress().getHostAddress();
    return (tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Connections accepted so far, whatever the fault did with them. */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** The most connections that were open at the same time so far. */
  public int peakOpenConnections() {
    return peakOpen.get();
  }

  /** Every request whose head was read so far, in arrival order. */
  public List<ReceivedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Waits until at least {@code n} requests have arrived; AssertionError on timeout. */
  public List<ReceivedRequest> awaitRequests(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (requests.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + n + " requests at the origin within " + timeout.toMillis()
              + " ms, got " + requests.size() + ": " + requests);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(requests, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for requests", e);
        }
      }
      return List.copyOf(requests);
    }
  }

  public void clearRequests() {
    synchronized (requests) {
      requests.clear();
    }
  }

  void record(ReceivedRequest request) {
    synchronized (requests) {
      requests.add(request);
      requests.notifyAll();
    }
  }

  /** Sleeps, but wakes early when the origin closes; returns false if it closed. */
  boolean pauseUnlessClosed(Duration d) {
    try {
      return !closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void acceptLoop() {
    while (closed.getCount() > 0) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // the server socket was closed
      }
      int id = accepted.incrementAndGet();
      openSockets.add(socket);
      peakOpen.accumulateAndGet(openSockets.size(), Math::max);
      if (closed.getCount() == 0) {
        closeQuietly(socket);
        return;
      }
      Thread worker = new Thread(() -> serve(socket, id), "faulty-origin-" + port() + "-conn-" + id);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  private void serve(Socket socket, int id) {
    try {
      new OriginConnection(this, socket, id).run();
    } finally {
      closeQuietly(socket);
      openSockets.remove(socket);
      workers.remove(Thread.currentThread());
    }
  }

  @Override
  public void close() {
    closed.countDown();
    if (holder != null) closeQuietly(holder);
    if (server != null) closeQuietly(server);
    for (Socket s : openSockets) closeQuietly(s);
    long deadline = System.nanoTime() + JOIN_ON_CLOSE.toNanos();
    List<Thread> all = new ArrayList<>(workers);
    if (acceptor != null) all.add(acceptor);
    for (Thread t : all) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) break;
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort; the socket may already be gone
    }
  }

  /**
   * Runs an origin in its own JVM, e.g. inside a {@link NetNamespace}: args are bind address,
   * port (0 for any) and fault. Prints {@code listening <port>} once ready, then runs until killed.
   */
  public static void main(String[] args) throws Exception {
    InetAddress bind = InetAddress.getByName(args.length > 0 ? args[0] : "127.0.0.1");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    FaultyOrigin origin = start(bind, port, args.length > 2 ? Fault.valueOf(args[2]) : Fault.OK);
    System.out.println("listening " + origin.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
