package io.edgeray.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * A real HTTP/1.1 origin on a loopback port that serves one {@link Fault} at a time. Raw sockets
 * and a thread per connection, so every fault is exactly the bytes, FINs and RSTs it promises;
 * nothing in between (no HTTP library) tidies them up.
 *
 * <pre>{@code
 * try (FaultyOrigin origin = FaultyOrigin.start()) {
 *   origin.fault(Fault.RESET_MID_BODY);
 *   ... point the edge at origin.address() ...
 * }
 * }</pre>
 */
public final class FaultyOrigin implements AutoCloseable {
  private static final Duration JOIN_ON_CLOSE = Duration.ofSeconds(2);

  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();
  private final List<ReceivedRequest> requests = new ArrayList<>(); // guarded by itself
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Fault fault = Fault.OK;
  private volatile int statusCode = 502;
  private volatile Duration slowHeadDelay = Duration.ofSeconds(1);

  private FaultyOrigin(InetAddress bind, int port) throws IOException {
    server = new ServerSocket(port, 128, bind);
    acceptor = new Thread(this::acceptLoop, "faulty-origin-" + server.getLocalPort() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts on 127.0.0.1, on a free port, serving {@link Fault#OK}. */
  public static FaultyOrigin start() throws IOException {
    return new FaultyOrigin(Ports.LOOPBACK, 0);
  }

  public static FaultyOrigin start(Fault fault) throws IOException {
    return start().fault(fault);
  }

  /** Starts on a given local address, e.g. a dummy interface's address inside a {@link NetNamespace}. */
  public static FaultyOrigin start(InetAddress bind, int port) throws IOException {
    return new FaultyOrigin(bind, port);
  }

  public FaultyOrigin fault(Fault fault) {
    this.fault = Objects.requireNonNull(fault);
    return this;
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

  /** How long {@link Fault#SLOW_HEAD} waits before answering. */
  public FaultyOrigin slowHeadDelay(Duration delay) {
    this.slowHeadDelay = Objects.requireNonNull(delay);
    return this;
  }

  Duration slowHeadDelay() {
    return slowHeadDelay;
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /** {@code http://127.0.0.1:port} (or the bound address). */
  public String baseUrl() {
    String host = server.getInetAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
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
    closeQuietly(server);
    for (Socket s : openSockets) closeQuietly(s);
    long deadline = System.nanoTime() + JOIN_ON_CLOSE.toNanos();
    List<Thread> all = new ArrayList<>(workers);
    all.add(acceptor);
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
    FaultyOrigin origin = start(bind, port).fault(args.length > 2 ? Fault.valueOf(args[2]) : Fault.OK);
    System.out.println("listening " + origin.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
