import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The programs reliability/run needs. One file, no dependencies ({@code javac -d DIR RelTools.java}).
 * Every loop is bounded in time and count; every address is 127.0.0.x.
 *
 * <pre>
 * load      --port P --host H --path /1k --threads 8 --seconds 20 [--timeout-ms 5000] [--close]
 *           [--allow-52x] [--reload-url http://127.0.0.1:A/reload --reload-token-file F --reload-every-ms 200
 *            --reload-files a.yaml,b.yaml --reload-target config.yaml] [--label NAME]
 *             an HTTP/1.1 load generator that counts every outcome exactly: 200s, each 52x, other
 *             statuses, resets, early closes, hangs, refused connects. One line of figures; exit 1
 *             when anything other than a 200 (or, with --allow-52x, a 52x) was seen
 * slowloris --port P --host H --n 2000 --seconds 20 --interval-ms 1000
 *             N connections that send a request head one byte at a time and never finish it
 * corpus    --port P --sniffer-port S --host H [--out DIR]
 *             malformed and ambiguous requests, raw over sockets, with a sniffer origin on S that
 *             keeps every byte it receives; exit 1 when a request was not refused or any of its
 *             bytes reached the origin in an ambiguous form
 * </pre>
 */
public final class RelTools {
  public static void main(String[] args) throws Exception {
    if (args.length == 0) usage();
    Opts o = new Opts(Arrays.copyOfRange(args, 1, args.length));
    switch (args[0]) {
      case "load" -> System.exit(load(o));
      case "slowloris" -> System.exit(slowloris(o));
      case "corpus" -> System.exit(Corpus.run(o));
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: RelTools load|slowloris|corpus ... (see the class comment)");
    System.exit(2);
  }

  static final class Opts {
    final Map<String, String> m = new HashMap<>();

    Opts(String[] a) {
      for (int i = 0; i < a.length; i++) {
        if (!a[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a[i]);
        boolean flag = i + 1 >= a.length || a[i + 1].startsWith("--");
        m.put(a[i].substring(2), flag ? "true" : a[++i]);
      }
    }

    String s(String k, String d) { return m.getOrDefault(k, d); }
    int i(String k, int d) { return m.containsKey(k) ? Integer.parseInt(m.get(k)) : d; }
    boolean b(String k) { return m.containsKey(k); }
  }

  // ---- a minimal, exact HTTP/1.1 response reader ---------------------------------------------

  /** A response: status, and whether the server said it will close. */
  record Response(int status, boolean close) {}

  /** The peer closed before a complete response; {@code started} tells whether any byte of it came. */
  static final class EarlyClose extends EOFException {
    private static final long serialVersionUID = 1L;
    final boolean started;

    EarlyClose(boolean started) {
      super(started ? "closed in the middle of a response" : "closed before any response byte");
      this.started = started;
    }
  }

  static String readLine(InputStream in, boolean started) throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) throw new EarlyClose(started || b.length() > 0);
      if (c == '\n') break;
      if (b.length() > 65536) throw new IOException("line too long");
      b.append((char) c);
    }
    int n = b.length();
    if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
    return b.toString();
  }

  static Response readResponse(InputStream in, boolean head) throws IOException {
    while (true) {
      String status = readLine(in, false);
      if (!status.startsWith("HTTP/1.")) throw new IOException("not a status line: " + status);
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false, close = status.startsWith("HTTP/1.0");
      for (String h = readLine(in, true); !h.isEmpty(); h = readLine(in, true)) {
        int colon = h.indexOf(':');
        if (colon < 0) continue;
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> {
            if (value.equalsIgnoreCase("close")) close = true;
            else if (value.equalsIgnoreCase("keep-alive")) close = false;
          }
          default -> { }
        }
      }
      if (code >= 100 && code < 200) continue; // interim
      if (head || code == 204 || code == 304) return new Response(code, close);
      if (chunked) {
        while (true) {
          String sizeLine = readLine(in, true);
          int semi = sizeLine.indexOf(';');
          long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
          if (size == 0) {
            while (!readLine(in, true).isEmpty()) { } // trailers
            break;
          }
          skip(in, size);
          readLine(in, true);
        }
      } else if (length >= 0) {
        skip(in, length);
      } else {
        while (in.read() >= 0) { } // close-delimited
        close = true;
      }
      return new Response(code, close);
    }
  }

  static void skip(InputStream in, long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) throw new EarlyClose(true);
      n -= r;
    }
  }

  // ---- load ------------------------------------------------------------------------------------

  static final class Tally {
    final LongAdder ok = new LongAdder();
    final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    final LongAdder resets = new LongAdder();
    final LongAdder closedBefore = new LongAdder(); // closed before any response byte
    final LongAdder closedDuring = new LongAdder(); // truncated response
    final LongAdder hangs = new LongAdder();
    final LongAdder connectErrors = new LongAdder();
    final LongAdder otherErrors = new LongAdder();
    final List<String> samples = Collections.synchronizedList(new ArrayList<>());

    void sample(String s) {
      if (samples.size() < 5) samples.add(s);
    }
  }

  static int load(Opts o) throws Exception {
    int port = o.i("port", 8080);
    int threads = o.i("threads", 8);
    long seconds = o.i("seconds", 10);
    int timeoutMs = o.i("timeout-ms", 5000);
    long maxRequests = Long.parseLong(o.s("max-requests", "20000000"));
    boolean close = o.b("close");
    boolean allow52x = o.b("allow-52x");
    String label = o.s("label", "load");
    byte[] request = ("GET " + o.s("path", "/1k") + " HTTP/1.1\r\nHost: " + o.s("host", "bench.test")
        + "\r\nUser-Agent: edgeray-reliability\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    Tally t = new Tally();
    AtomicLong issued = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long[][] lat = new long[threads][];
    int[] latN = new int[threads];
    List<Thread> ts = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      final int id = k;
      lat[id] = new long[1 << 20];
      Thread th = new Thread(() -> {
        Socket s = null;
        InputStream in = null;
        OutputStream out = null;
        while (System.nanoTime() < deadline && issued.incrementAndGet() <= maxRequests) {
          try {
            if (s == null) {
              s = new Socket();
              s.setTcpNoDelay(true);
              s.setSoTimeout(timeoutMs);
              try {
                s.connect(target, timeoutMs);
              } catch (IOException e) {
                t.connectErrors.increment();
                t.sample("connect: " + e);
                s.close();
                s = null;
                Thread.sleep(10);
                continue;
              }
              in = new BufferedInputStream(s.getInputStream(), 65536);
              out = s.getOutputStream();
            }
            long begin = System.nanoTime();
            out.write(request);
            out.flush();
            Response r = readResponse(in, false);
            long took = System.nanoTime() - begin;
            if (latN[id] < lat[id].length) lat[id][latN[id]++] = took;
            if (r.status() == 200) t.ok.increment();
            t.byStatus.computeIfAbsent(r.status(), x -> new LongAdder()).increment();
            if (r.close()) {
              s.close();
              s = null;
            }
          } catch (SocketTimeoutException e) {
            t.hangs.increment();
            t.sample("hang: no complete answer within " + timeoutMs + " ms");
            s = closeQuietly(s);
          } catch (EarlyClose e) {
            (e.started ? t.closedDuring : t.closedBefore).increment();
            t.sample(e.getMessage());
            s = closeQuietly(s);
          } catch (SocketException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("reset") || m.contains("broken pipe")) t.resets.increment(); else t.otherErrors.increment();
            t.sample("socket: " + e.getMessage());
            s = closeQuietly(s);
          } catch (IOException | RuntimeException e) {
            t.otherErrors.increment();
            t.sample("error: " + e);
            s = closeQuietly(s);
          } catch (InterruptedException e) {
            break;
          }
        }
        closeQuietly(s);
      }, "load-" + k);
      ts.add(th);
    }
    Thread reloader = reloader(o, deadline);
    long t0 = System.nanoTime();
    for (Thread th : ts) th.start();
    if (reloader != null) reloader.start();
    for (Thread th : ts) th.join(TimeUnit.SECONDS.toMillis(seconds) + 2L * timeoutMs + 5000);
    if (reloader != null) reloader.join(10000);
    double wall = (System.nanoTime() - t0) / 1e9;
    // figures
    long total = 0;
    long e52x = 0, other = 0;
    StringBuilder statuses = new StringBuilder();
    for (var e : new TreeMap<>(t.byStatus).entrySet()) {
      long n = e.getValue().sum();
      total += n;
      statuses.append(statuses.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(n);
      if (e.getKey() >= 520 && e.getKey() <= 530) e52x += n;
      else if (e.getKey() != 200) other += n;
    }
    long lost = t.resets.sum() + t.closedBefore.sum() + t.closedDuring.sum() + t.hangs.sum()
        + t.connectErrors.sum() + t.otherErrors.sum() + other + (allow52x ? 0 : e52x);
    long[] all = merge(lat, latN);
    String reloads = reloadFigures();
    System.out.printf(Locale.ROOT,
        "%s: answered=%d ok=%d 52x=%d other_status=%d resets=%d closed_before_answer=%d truncated=%d hangs=%d "
            + "connect_errors=%d other_errors=%d req/s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.1f statuses=[%s]%s lost=%d%n",
        label, total, t.ok.sum(), e52x, other, t.resets.sum(), t.closedBefore.sum(), t.closedDuring.sum(),
        t.hangs.sum(), t.connectErrors.sum(), t.otherErrors.sum(), total / wall, pct(all, 0.50), pct(all, 0.99),
        pct(all, 1.0), statuses, reloads, lost);
    if (lost > 0) {
      for (String s : t.samples) System.out.println("  e.g. " + s);
    }
    if (total == 0) {
      System.out.println("  no request was answered at all");
      return 1;
    }
    return lost == 0 && reloadFailures.get() == 0 ? 0 : 1;
  }

  static Socket closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // gone
      }
    }
    return null;
  }

  static long[] merge(long[][] lat, int[] n) {
    int total = 0;
    for (int x : n) total += x;
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < lat.length; i++) {
      System.arraycopy(lat[i], 0, all, at, n[i]);
      at += n[i];
    }
    Arrays.sort(all);
    return all;
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[i] / 1e6;
  }

  // config reload while the load runs
  static final AtomicLong reloadsOk = new AtomicLong();
  static final AtomicLong reloadFailures = new AtomicLong();
  static volatile boolean reloading;

  static Thread reloader(Opts o, long deadline) {
    if (!o.b("reload-url")) return null;
    reloading = true;
    String url = o.s("reload-url", "");
    String[] hostPort = url.replaceFirst("^http://", "").split("/", 2)[0].split(":");
    String path = "/" + url.replaceFirst("^http://", "").split("/", 2)[1];
    int every = o.i("reload-every-ms", 200);
    String[] files = o.s("reload-files", "").isEmpty() ? new String[0] : o.s("reload-files", "").split(",");
    Path targetFile = files.length > 0 ? Path.of(o.s("reload-target", "")) : null;
    // the edge's own edit token (state/admin-token beside its config), written when it starts
    Path tokenFile = o.b("reload-token-file") ? Path.of(o.s("reload-token-file", "")) : null;
    return new Thread(() -> {
      int n = 0;
      while (System.nanoTime() < deadline - TimeUnit.MILLISECONDS.toNanos(every)) {
        try {
          if (targetFile != null) {
            Path tmp = targetFile.resolveSibling(targetFile.getFileName() + ".tmp");
            Files.copy(Path.of(files[n % files.length]), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, targetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
          n++;
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
            s.setSoTimeout(5000);
            String auth = tokenFile == null ? "" : "Authorization: Bearer " + Files.readString(tokenFile).trim() + "\r\n";
            s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: admin\r\n" + auth + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            Response r = readResponse(new BufferedInputStream(s.getInputStream()), false);
            if (r.status() == 200) reloadsOk.incrementAndGet(); else reloadFailures.incrementAndGet();
          }
          Thread.sleep(every);
        } catch (IOException | RuntimeException e) {
          reloadFailures.incrementAndGet();
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "reloader");
  }

  static String reloadFigures() {
    return reloading ? " reloads_ok=" + reloadsOk.get() + " reloads_failed=" + reloadFailures.get() : "";
  }

  // ---- slowloris -------------------------------------------------------------------------------

  static int slowloris(Opts o) throws IOException, InterruptedException {
    int port = o.i("port", 8080);
    int n = o.i("n", 2000);
    long seconds = o.i("seconds", 20);
    int interval = o.i("interval-ms", 1000);
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    byte[] start = ("GET /slow HTTP/1.1\r\nHost: " + o.s("host", "bench.test") + "\r\nX-Slow: ")
        .getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<SocketChannel> open = new ArrayList<>();
    int opened = 0, failed = 0, closedByEdge = 0, answered = 0;
    long bytes = 0;
    ByteBuffer one = ByteBuffer.allocate(1);
    ByteBuffer sink = ByteBuffer.allocate(4096);
    try (Selector sel = Selector.open()) {
      for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
        try {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(true);
          ch.socket().connect(target, 2000);
          ch.write(ByteBuffer.wrap(start));
          ch.configureBlocking(false);
          ch.register(sel, SelectionKey.OP_READ, ch);
          open.add(ch);
          opened++;
        } catch (IOException e) {
          failed++;
        }
      }
      System.out.println("slowloris: opened=" + opened + " failed_to_open=" + failed);
      System.out.flush();
      long nextTick = System.nanoTime();
      while (System.nanoTime() < deadline) {
        if (System.nanoTime() >= nextTick) {
          nextTick += TimeUnit.MILLISECONDS.toNanos(interval);
          for (SocketChannel ch : open) {
            if (!ch.isOpen()) continue;
            one.clear();
            one.put((byte) 'a').flip();
            try {
              bytes += ch.write(one);
            } catch (IOException e) {
              ch.close();
              closedByEdge++;
            }
          }
        }
        sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime())));
        for (SelectionKey k : sel.selectedKeys()) {
          SocketChannel ch = (SocketChannel) k.attachment();
          sink.clear();
          int r;
          try {
            r = ch.read(sink);
          } catch (IOException e) {
            r = -1;
          }
          if (r < 0) {
            k.cancel();
            ch.close();
            closedByEdge++;
          } else if (r > 0) {
            answered++;
          }
        }
        sel.selectedKeys().clear();
      }
      int still = 0;
      for (SocketChannel ch : open) {
        if (ch.isOpen()) {
          still++;
          ch.setOption(StandardSocketOptions.SO_LINGER, 0);
          ch.close();
        }
      }
      System.out.println("slowloris: still_open_at_end=" + still + " closed_by_edge=" + closedByEdge
          + " answered_reads=" + answered + " bytes_trickled=" + bytes);
    }
    return opened > 0 ? 0 : 1;
  }

  // ---- malformed-request corpus with a sniffer origin ------------------------------------------

  static final class Corpus {
    /** How a case may end: refused at the edge (R), or the body-level ones also forwarded cleanly (F). */
    record Case(String id, String what, byte[] bytes, String forbidden, boolean mayForward) {}

    static final List<String> REFUSAL = List.of("400", "403", "405", "414", "431", "501", "530", "closed", "reset");

    static List<Case> cases(String host) {
      List<Case> c = new ArrayList<>();
      String H = "Host: " + host + "\r\n";
      // control cases: these must reach the origin, proving the sniffer sees what is forwarded
      c.add(new Case("c01", "control: valid GET", b("GET /zqc01 HTTP/1.1\r\n" + H + "\r\n"), null, true));
      c.add(new Case("c02", "control: valid POST with a body", b("POST /zqc02 HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello"), null, true));
      // framing: which body is the body?
      c.add(refuse("m01", "two different Content-Length", "POST /zqm01 HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
      c.add(refuse("m02", "Content-Length list with different values", "POST /zqm02 HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\nhello!"));
      c.add(refuse("m03", "Content-Length and Transfer-Encoding: chunked (CL.TE)", "POST /zqm03 HTTP/1.1\r\n" + H
          + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /zqm03-smuggled HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m04", "Transfer-Encoding: chunked and Content-Length (TE.CL)", "POST /zqm04 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\nGET /zqm04-smuggled HTTP/1.1\r\nX: y\r\n\r\n"));
      c.add(refuse("m05", "Transfer-Encoding: xchunked with Content-Length", "POST /zqm05 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello"));
      c.add(refuse("m06", "space before the colon of Transfer-Encoding", "POST /zqm06 HTTP/1.1\r\n" + H
          + "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello"));
      c.add(refuse("m07", "two Transfer-Encoding headers (chunked, identity)", "POST /zqm07 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
      c.add(refuse("m08", "Transfer-Encoding: chunked, identity (chunked not last)", "POST /zqm08 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
      c.add(refuse("m09", "negative Content-Length", "POST /zqm09 HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\nhello"));
      c.add(refuse("m10", "Content-Length with a plus sign", "POST /zqm10 HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\nhello"));
      c.add(refuse("m11", "Transfer-Encoding on an HTTP/1.0 request", "POST /zqm11 HTTP/1.0\r\n" + H
          + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
      // line syntax
      c.add(refuse("m12", "obs-fold (a header continued on the next line)", "GET /zqm12 HTTP/1.1\r\n" + H + "X-Folded: a\r\n b\r\n\r\n"));
      c.add(refuse("m13", "bare LF line endings", "GET /zqm13 HTTP/1.1\n" + H.replace("\r\n", "\n") + "X-A: b\n\n"));
      c.add(refuse("m14", "bare CR inside a header value", "GET /zqm14 HTTP/1.1\r\n" + H + "X-A: a\rX-Injected: b\r\n\r\n"));
      c.add(refuse("m15", "NUL inside a header value", "GET /zqm15 HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n"));
      c.add(refuse("m16", "NUL inside the request target", "GET /zqm16\0x HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m17", "space inside a header name", "GET /zqm17 HTTP/1.1\r\n" + H + "Bad Name: x\r\n\r\n"));
      c.add(refuse("m18", "tab before the colon of a header name", "GET /zqm18 HTTP/1.1\r\n" + H + "X-A\t: x\r\n\r\n"));
      c.add(refuse("m19", "header line without a colon", "GET /zqm19 HTTP/1.1\r\n" + H + "NoColonHere\r\n\r\n"));
      c.add(refuse("m20", "whitespace before the first header", "GET /zqm20 HTTP/1.1\r\n " + H + "\r\n"));
      c.add(refuse("m21", "non-token characters in a header name", "GET /zqm21 HTTP/1.1\r\n" + H + "X(A): x\r\n\r\n"));
      c.add(refuse("m22", "non-ASCII byte in a header name", "GET /zqm22 HTTP/1.1\r\n" + H + "X-\u00e9: x\r\n\r\n"));
      c.add(refuse("m23", "space inside the request target", "GET /zqm23 x HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m24", "invalid HTTP version", "GET /zqm24 HTTP/1.1x\r\n" + H + "\r\n"));
      c.add(refuse("m25", "HTTP/0.9-style request line", "GET /zqm25\r\n\r\n"));
      c.add(refuse("m26", "invalid character in the method", "G<T /zqm26 HTTP/1.1\r\n" + H + "\r\n"));
      // size
      c.add(refuse("m27", "oversized request head (200 KiB header)", "GET /zqm27 HTTP/1.1\r\n" + H + "X-Big: " + "a".repeat(200 * 1024) + "\r\n\r\n"));
      c.add(refuse("m28", "oversized URL (20 KiB)", "GET /zqm28/" + "a".repeat(20 * 1024) + " HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m29", "30,000 small headers (240 KB head)", "GET /zqm29 HTTP/1.1\r\n" + H + "X-H: a\r\n".repeat(30000) + "\r\n"));
      // host and target
      c.add(refuse("m30", "absolute-form to a foreign host", "GET http://foreign.example/zqm30 HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m31", "absolute-form to an IP address", "GET http://127.0.0.1:1/zqm31 HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m32", "absolute-form with userinfo naming our host", "GET http://" + host + "@foreign.example/zqm32 HTTP/1.1\r\n" + H + "\r\n"));
      c.add(refuse("m33", "two Host headers", "GET /zqm33 HTTP/1.1\r\n" + H + "Host: foreign.example\r\n\r\n"));
      c.add(refuse("m34", "HTTP/1.1 without Host", "GET /zqm34 HTTP/1.1\r\nX-A: b\r\n\r\n"));
      c.add(refuse("m35", "CONNECT to a foreign host", "CONNECT foreign.example:443 HTTP/1.1\r\nHost: foreign.example:443\r\n\r\nzqm35"));
      c.add(refuse("m36", "Host with userinfo", "GET /zqm36 HTTP/1.1\r\nHost: foreign.example@" + host + "\r\n\r\n"));
      c.add(refuse("m37", "request target not starting with /", "GET zqm37 HTTP/1.1\r\n" + H + "\r\n"));
      // bodies: the head is fine and may be forwarded; the smuggled part must never arrive
      c.add(new Case("b01", "chunk size that is not hex", b("POST /zqb01 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked\r\n\r\nzz\r\nGET /zqb01-smuggled HTTP/1.1\r\n\r\n0\r\n\r\n"), "zqb01-smuggled", true));
      c.add(new Case("b02", "chunk size that overflows 64 bits", b("POST /zqb02 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked\r\n\r\n1000000000000000a\r\nGET /zqb02-smuggled HTTP/1.1\r\n\r\n0\r\n\r\n"), "zqb02-smuggled", true));
      c.add(new Case("b03", "chunk lines ending in bare LF", b("POST /zqb03 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\nGET /zqb03-smuggled HTTP/1.1\r\n\r\n"), "zqb03-smuggled", true));
      c.add(new Case("b04", "chunk data longer than its size", b("POST /zqb04 HTTP/1.1\r\n" + H
          + "Transfer-Encoding: chunked\r\n\r\n3\r\nhelloGET /zqb04-smuggled HTTP/1.1\r\n\r\n0\r\n\r\n"), "zqb04-smuggled", true));
      return c;
    }

    static Case refuse(String id, String what, String raw) {
      return new Case(id, what, b(raw), "zq" + id, false);
    }

    static byte[] b(String s) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // -- the sniffer origin: keeps every byte per connection, answers every head with a 200
    static final List<ByteArrayOutputStream> received = Collections.synchronizedList(new ArrayList<>());

    static ServerSocket sniffer(int port) throws IOException {
      ServerSocket ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress("127.0.0.1", port), 512);
      Thread acceptor = new Thread(() -> {
        while (!ss.isClosed()) {
          try {
            Socket s = ss.accept();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            received.add(log);
            Thread t = new Thread(() -> serve(s, log), "sniffer-conn");
            t.setDaemon(true);
            t.start();
          } catch (IOException e) {
            return;
          }
        }
      }, "sniffer");
      acceptor.setDaemon(true);
      acceptor.start();
      return ss;
    }

    static void serve(Socket s, ByteArrayOutputStream log) {
      byte[] ok = b("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
      try (s) {
        s.setSoTimeout(30000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[65536];
        int scanned = 0;
        while (true) {
          int r = in.read(buf);
          if (r < 0) return;
          byte[] all;
          synchronized (log) {
            log.write(buf, 0, r);
            all = log.toByteArray();
          }
          // answer each complete head (bodies are only logged): enough for the edge to move on
          for (int i = Math.max(0, scanned - 3); i + 3 < all.length; i++) {
            if (all[i] == '\r' && all[i + 1] == '\n' && all[i + 2] == '\r' && all[i + 3] == '\n') {
              out.write(ok);
              out.flush();
              scanned = i + 4;
              i += 3;
            }
          }
          scanned = Math.max(scanned, all.length - 3);
        }
      } catch (IOException e) {
        // the edge closed or reset the connection: what arrived is logged
      }
    }

    static String send(int port, byte[] bytes) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(3000);
        OutputStream out = s.getOutputStream();
        try {
          out.write(bytes);
          out.flush();
        } catch (SocketException e) {
          // the edge may close while a large head is still being written: read what it said
        }
        InputStream in = new BufferedInputStream(s.getInputStream());
        try {
          String line = readLine(in, false);
          return line.startsWith("HTTP/1.") && line.length() >= 12 ? line.substring(9, 12) : "garbage:" + line;
        } catch (EarlyClose e) {
          return "closed";
        } catch (SocketTimeoutException e) {
          return "timeout";
        } catch (SocketException e) {
          return "reset";
        }
      } catch (IOException e) {
        return "error:" + e.getMessage();
      }
    }

    /** What is wrong with the bytes the origin received, read as a stream of HTTP/1.1 requests. */
    static List<String> ambiguities(byte[] raw) {
      List<String> problems = new ArrayList<>();
      String s = new String(raw, StandardCharsets.ISO_8859_1);
      int at = 0;
      while (at < s.length()) {
        int end = s.indexOf("\r\n\r\n", at);
        if (end < 0) {
          if (!s.substring(at).isBlank()) problems.add("an incomplete head: " + show(s.substring(at)));
          break;
        }
        String head = s.substring(at, end);
        String[] lines = head.split("\r\n", -1);
        List<String> mine = new ArrayList<>();
        int cl = 0;
        boolean te = false;
        long length = 0;
        boolean chunked = false;
        if (!lines[0].matches("[A-Z]+ [\\x21-\\x7e]+ HTTP/1\\.1")) mine.add("request line " + show(lines[0]));
        for (int i = 1; i < lines.length; i++) {
          String l = lines[i];
          if (l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0) mine.add("bare CR or LF in " + show(l));
          if (l.indexOf('\0') >= 0) mine.add("NUL in " + show(l));
          if (l.startsWith(" ") || l.startsWith("\t")) mine.add("obs-fold " + show(l));
          int colon = l.indexOf(':');
          if (colon <= 0 || !l.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            mine.add("bad header name " + show(l));
            continue;
          }
          String name = l.substring(0, colon).toLowerCase(Locale.ROOT);
          String value = l.substring(colon + 1).trim();
          if (name.equals("content-length")) {
            cl++;
            if (!value.matches("\\d+")) mine.add("Content-Length " + show(value));
            else length = Long.parseLong(value);
          }
          if (name.equals("transfer-encoding")) {
            if (te) mine.add("two Transfer-Encoding headers");
            te = true;
            chunked = value.equalsIgnoreCase("chunked");
            if (!chunked) mine.add("Transfer-Encoding " + show(value));
          }
        }
        if (cl > 1) mine.add("more than one Content-Length");
        if (cl > 0 && te) mine.add("Content-Length with Transfer-Encoding");
        for (String m : mine) problems.add(show(lines[0]) + ": " + m);
        at = end + 4;
        if (chunked) {
          // walk the chunks; any deviation is ambiguity
          while (true) {
            int eol = s.indexOf("\r\n", at);
            if (eol < 0) return problems; // cut short by a close: truncated, not ambiguous
            String size = s.substring(at, eol);
            if (!size.matches("[0-9a-fA-F]{1,15}(;.*)?")) { problems.add(show(lines[0]) + ": chunk size " + show(size)); return problems; }
            long n = Long.parseLong(size.split(";")[0], 16);
            at = eol + 2;
            if (n == 0) {
              int tEnd = s.indexOf("\r\n", at);
              while (tEnd > at) { at = tEnd + 2; tEnd = s.indexOf("\r\n", at); } // trailers
              if (tEnd < 0) return problems; // cut short by a close
              at = tEnd + 2;
              break;
            }
            at += (int) n;
            if (at >= s.length()) return problems; // cut short by a close
            if (!s.startsWith("\r\n", at)) { problems.add(show(lines[0]) + ": chunk data not followed by CRLF"); return problems; }
            at += 2;
          }
        } else {
          at += (int) Math.min(length, s.length() - at);
        }
      }
      return problems;
    }

    static String show(String s) {
      String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
      StringBuilder b = new StringBuilder("\"");
      for (char c : t.toCharArray()) {
        if (c == '\r') b.append("\\r");
        else if (c == '\n') b.append("\\n");
        else if (c == '\0') b.append("\\0");
        else if (c == '\t') b.append("\\t");
        else if (c < 32 || c > 126) b.append(String.format("\\x%02x", (int) c));
        else b.append(c);
      }
      return b.append('"').toString();
    }

    static int run(Opts o) throws Exception {
      int port = o.i("port", 8080);
      int snifferPort = o.i("sniffer-port", 18200);
      String host = o.s("host", "bench.test");
      Path outDir = o.b("out") ? Path.of(o.s("out", ".")) : null;
      List<String> known = new ArrayList<>();
      if (o.b("known")) {
        for (String l : Files.readAllLines(Path.of(o.s("known", "")))) {
          String id = l.replaceAll("#.*", "").trim();
          if (!id.isEmpty()) known.add(id.split("\\s+")[0]);
        }
      }
      int refused = 0, forwardedClean = 0, failed = 0, knownFailed = 0, fixed = 0;
      List<String> report = new ArrayList<>();
      try (ServerSocket unused = sniffer(snifferPort)) {
        List<Case> cases = cases(host);
        Map<String, String> answers = new HashMap<>();
        for (Case c : cases) answers.put(c.id(), send(port, c.bytes()));
        Thread.sleep(500); // let the last forwarded bytes land
        byte[][] conns;
        synchronized (received) {
          conns = new byte[received.size()][];
          for (int i = 0; i < conns.length; i++) {
            synchronized (received.get(i)) {
              conns[i] = received.get(i).toByteArray();
            }
          }
        }
        String everything = String.join("\n", Arrays.stream(conns)
            .map(x -> new String(x, StandardCharsets.ISO_8859_1)).toList());
        if (outDir != null) {
          Files.createDirectories(outDir);
          for (int i = 0; i < conns.length; i++) Files.write(outDir.resolve("origin-conn-" + i + ".raw"), conns[i]);
        }
        List<String> ambiguous = new ArrayList<>();
        for (byte[] conn : conns) ambiguous.addAll(ambiguities(conn));
        for (Case c : cases) {
          String answer = answers.get(c.id());
          boolean control = c.forbidden() == null;
          boolean reached = control ? everything.contains("/zq" + c.id())
              : everything.contains(c.forbidden());
          boolean ok;
          String verdict;
          if (control) {
            ok = answer.equals("200") && reached;
            verdict = ok ? "forwarded (control)" : "control failed: answer " + answer + (reached ? "" : ", origin saw nothing");
          } else if (reached) {
            ok = false;
            verdict = "REACHED THE ORIGIN (answer " + answer + ")";
          } else if (REFUSAL.contains(answer)) {
            ok = true;
            verdict = "refused " + answer;
          } else if (c.mayForward() && (answer.equals("200") || answer.equals("timeout"))) {
            ok = true;
            verdict = "head forwarded, bad body stopped (" + answer + ")";
          } else {
            ok = false;
            verdict = "answered " + answer + ", not a refusal";
          }
          boolean isKnown = known.contains(c.id());
          String mark;
          if (ok && isKnown) { mark = "FIXED"; fixed++; }
          else if (ok) mark = "ok";
          else if (isKnown) { mark = "KNOWN"; knownFailed++; }
          else { mark = "FAIL"; failed++; }
          if (ok && !control) {
            if (verdict.startsWith("refused")) refused++; else forwardedClean++;
          }
          report.add(String.format(Locale.ROOT, "  %-5s %-4s %-58s %s", mark, c.id(), c.what(), verdict));
        }
        for (String r : report) System.out.println(r);
        int ambiguousNew = 0;
        for (String a : ambiguous) {
          boolean isKnown = known.stream().anyMatch(id -> a.contains("/zq" + id));
          if (!isKnown) ambiguousNew++;
          System.out.println("  " + (isKnown ? "KNOWN " : "") + "AMBIGUOUS at the origin: " + a);
        }
        System.out.printf(Locale.ROOT,
            "corpus: cases=%d refused=%d head_forwarded_body_stopped=%d failed=%d known_failures=%d fixed=%d "
                + "origin_connections=%d origin_bytes=%d ambiguous_at_origin=%d%n",
            cases.size(), refused, forwardedClean, failed, knownFailed, fixed, conns.length,
            everything.length(), ambiguous.size());
        if (fixed > 0) System.out.println("  a case in the known-failures list passes now: remove it from the list");
        return failed == 0 && ambiguousNew == 0 ? 0 : 1;
      }
    }
  }
}
