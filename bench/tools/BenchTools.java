import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The small programs bench/run needs besides wrk. One file, no dependencies, so a fresh machine
 * with only a JDK can compile it ({@code javac -d DIR BenchTools.java}).
 *
 * <pre>
 * hold      --port P --host H --path /0b --n 10000 --max-seconds 120 --release-file F
 *             opens N keep-alive connections, sends one request on each, reads the answer and
 *             holds them idle; prints "READY held=.. failed=.." then waits until F exists
 * startup   --port P --host H --path /0b --timeout-seconds 30 --log FILE -- COMMAND...
 *             launches COMMAND, polls until the first 200 through it, prints "startup_ms=..",
 *             then stops what it launched
 * summarize --results results.tsv --out BENCHMARKS.md [--title T]
 *             medians of the rounds and edgeray's ratio to each peer, as a console table and
 *             as markdown between the bench markers of the output file
 * </pre>
 */
public final class BenchTools {
  public static void main(String[] args) throws Exception {
    if (args.length == 0) usage();
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "hold" -> System.exit(hold(new Opts(rest)));
      case "startup" -> System.exit(startup(rest));
      case "summarize" -> System.exit(summarize(new Opts(rest)));
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: BenchTools hold|startup|summarize ... (see the class comment)");
    System.exit(2);
  }

  /** --key value options. */
  static final class Opts {
    final Map<String, String> m = new HashMap<>();

    Opts(String[] a) {
      for (int i = 0; i < a.length; i++) {
        if (!a[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a[i]);
        m.put(a[i].substring(2), i + 1 < a.length ? a[++i] : "");
      }
    }

    String s(String k, String d) { return m.getOrDefault(k, d); }
    int i(String k, int d) { return m.containsKey(k) ? Integer.parseInt(m.get(k)) : d; }
  }

  // ---- hold: N idle keep-alive visitor connections ------------------------------------------

  private static final class Conn {
    final SocketChannel ch;
    final ByteBuffer out;
    final StringBuilder in = new StringBuilder();
    boolean answered;

    Conn(SocketChannel ch, ByteBuffer out) {
      this.ch = ch;
      this.out = out;
    }
  }

  static int hold(Opts o) throws IOException, InterruptedException {
    int port = o.i("port", 8080);
    int n = o.i("n", 10000);
    int maxSeconds = o.i("max-seconds", 120);
    int openSeconds = o.i("open-seconds", 60);
    Path release = Path.of(o.s("release-file", "/nonexistent/release"));
    byte[] request = ("GET " + o.s("path", "/0b") + " HTTP/1.1\r\nHost: " + o.s("host", "bench.test")
        + "\r\nUser-Agent: edgeray-bench-hold\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(openSeconds);
    List<Conn> all = new ArrayList<>(n);
    int opened = 0, answered = 0, failed = 0, inFlight = 0;
    ByteBuffer buf = ByteBuffer.allocate(16384);
    try (Selector sel = Selector.open()) {
      // open in waves of at most 256 unanswered connections: a bounded, polite client
      while (answered + failed < n && System.nanoTime() < openDeadline) {
        while (opened < n && inFlight < 256) {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          Conn c = new Conn(ch, ByteBuffer.wrap(request));
          all.add(c);
          opened++;
          inFlight++;
          try {
            if (ch.connect(target)) {
              ch.register(sel, SelectionKey.OP_WRITE, c);
            } else {
              ch.register(sel, SelectionKey.OP_CONNECT, c);
            }
          } catch (IOException e) {
            failed++;
            inFlight--;
            ch.close();
          }
        }
        sel.select(100);
        for (SelectionKey k : sel.selectedKeys()) {
          Conn c = (Conn) k.attachment();
          try {
            if (k.isConnectable()) {
              c.ch.finishConnect();
              k.interestOps(SelectionKey.OP_WRITE);
            } else if (k.isWritable()) {
              c.ch.write(c.out);
              if (!c.out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
            } else if (k.isReadable()) {
              buf.clear();
              int r = c.ch.read(buf);
              if (r < 0) throw new IOException("closed by the proxy");
              c.in.append(new String(buf.array(), 0, r, StandardCharsets.ISO_8859_1));
              if (!c.answered && complete(c.in)) {
                c.answered = true;
                answered++;
                inFlight--;
                if (!c.in.toString().startsWith("HTTP/1.1 200")) {
                  System.err.println("hold: unexpected answer: " + c.in.toString().lines().findFirst().orElse(""));
                }
              }
            }
          } catch (IOException e) {
            k.cancel();
            c.ch.close();
            if (!c.answered) {
              failed++;
              inFlight--;
            } else {
              answered--;
              failed++;
            }
          }
        }
        sel.selectedKeys().clear();
      }
      System.out.println("READY held=" + answered + " failed=" + failed + " asked=" + n);
      System.out.flush();
      // hold: keep watching for closes until released
      int closedByProxy = 0;
      while (!Files.exists(release) && System.nanoTime() < deadline) {
        sel.select(100);
        for (SelectionKey k : sel.selectedKeys()) {
          Conn c = (Conn) k.attachment();
          buf.clear();
          int r;
          try {
            r = c.ch.read(buf);
          } catch (IOException e) {
            r = -1;
          }
          if (r < 0) {
            k.cancel();
            c.ch.close();
            closedByProxy++;
          }
        }
        sel.selectedKeys().clear();
      }
      System.out.println("END still_open=" + (answered - closedByProxy) + " closed_by_proxy=" + closedByProxy);
      for (Conn c : all) {
        try {
          if (c.ch.isOpen()) {
            c.ch.setOption(StandardSocketOptions.SO_LINGER, 0); // reset: no TIME_WAIT left behind
            c.ch.close();
          }
        } catch (IOException ignored) {
          // already gone
        }
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /** Whether a buffered response is complete: head read and Content-Length bytes of body. */
  static boolean complete(CharSequence s) {
    String t = s.toString();
    int end = t.indexOf("\r\n\r\n");
    if (end < 0) return false;
    long len = 0;
    for (String line : t.substring(0, end).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        len = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return t.length() - (end + 4) >= len;
  }

  // ---- startup: launch to the first proxied 200 ---------------------------------------------

  static int startup(String[] args) throws Exception {
    int dash = Arrays.asList(args).indexOf("--");
    if (dash < 0) throw new IllegalArgumentException("startup: missing -- COMMAND");
    Opts o = new Opts(Arrays.copyOfRange(args, 0, dash));
    List<String> cmd = Arrays.asList(Arrays.copyOfRange(args, dash + 1, args.length));
    int port = o.i("port", 8080);
    long timeoutNanos = TimeUnit.SECONDS.toNanos(o.i("timeout-seconds", 30));
    byte[] request = ("GET " + o.s("path", "/0b") + " HTTP/1.1\r\nHost: " + o.s("host", "bench.test")
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(o.s("log", "/dev/null")).toFile()));
    long t0 = System.nanoTime();
    Process p = pb.start();
    long took = -1;
    int tries = 0;
    try {
      while (System.nanoTime() - t0 < timeoutNanos && p.isAlive()) {
        tries++;
        if (status(port, request) == 200) {
          took = System.nanoTime() - t0;
          break;
        }
        Thread.sleep(2);
      }
    } finally {
      stop(p);
    }
    if (took < 0) {
      System.out.println("startup_ms=-1 tries=" + tries + (p.isAlive() ? "" : " exited=" + p.exitValue()));
      return 1;
    }
    System.out.printf(Locale.ROOT, "startup_ms=%.1f tries=%d%n", took / 1e6, tries);
    return 0;
  }

  private static int status(int port, byte[] request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = new byte[12];
      int got = 0;
      while (got < 12) {
        int r = in.read(head, got, 12 - got);
        if (r < 0) return -1;
        got += r;
      }
      return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> kids = p.descendants().toList();
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    for (ProcessHandle k : kids) {
      if (k.isAlive()) k.destroyForcibly();
    }
  }

  // ---- summarize: medians, ratios, markdown --------------------------------------------------

  static double median(List<Double> xs) {
    if (xs.isEmpty()) return Double.NaN;
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) return "—";
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  static String ratio(double ours, double theirs) {
    if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs == 0) return "—";
    return String.format(Locale.ROOT, "%.2f×", ours / theirs);
  }

  static int summarize(Opts o) throws IOException {
    Path results = Path.of(o.s("results", "results.tsv"));
    Path out = Path.of(o.s("out", "BENCHMARKS.md"));
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(results)) {
      if (!line.isBlank()) rows.add(line.split("\t", -1));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    Set<String> proxies = new LinkedHashSet<>();
    Map<String, String> scenarioTitle = new LinkedHashMap<>();
    Map<String, String> skips = new LinkedHashMap<>();
    Map<String, String> notes = new LinkedHashMap<>();
    Map<String, Map<String, List<double[]>>> load = new LinkedHashMap<>();
    Map<String, List<double[]>> mem = new LinkedHashMap<>();
    Map<String, List<Double>> start = new LinkedHashMap<>();
    Map<String, String> statuses = new HashMap<>();
    for (String[] r : rows) {
      switch (r[0]) {
        case "meta" -> meta.put(r[1], r[2]);
        case "proxy" -> proxies.add(r[1]);
        case "scenario" -> scenarioTitle.put(r[1], r[2]);
        case "skip" -> skips.put(r[1], r[2]);
        case "note" -> notes.merge(r[1], r[2], (a, b) -> a + "; " + b);
        case "status" -> statuses.put(r[1] + "/" + r[2], r[3]);
        case "load" -> // load scenario proxy round rps p50 p99 cpu errors non2xx
            load.computeIfAbsent(r[1], k -> new LinkedHashMap<>()).computeIfAbsent(r[2], k -> new ArrayList<>())
                .add(new double[] {d(r[4]), d(r[5]), d(r[6]), d(r[7]), d(r[8]), d(r[9])});
        case "mem" -> // mem proxy round base_kib held_kib conns
            mem.computeIfAbsent(r[1], k -> new ArrayList<>()).add(new double[] {d(r[3]), d(r[4]), d(r[5])});
        case "start" -> start.computeIfAbsent(r[1], k -> new ArrayList<>()).add(d(r[3]));
        default -> { }
      }
    }
    StringBuilder md = new StringBuilder();
    StringBuilder con = new StringBuilder();
    md.append("<!-- bench:start (written by bench/run; edit outside the markers) -->\n");
    md.append("## Load, memory and start-up (`bench/run`)\n\n");
    md.append("- date: ").append(meta.getOrDefault("date", "?")).append('\n');
    md.append("- command: `").append(meta.getOrDefault("command", "?")).append("`\n");
    md.append("- machine: ").append(meta.getOrDefault("machine", "?")).append('\n');
    md.append("- memory: ").append(meta.getOrDefault("memory", "?")).append('\n');
    md.append("- pinning: ").append(meta.getOrDefault("pinning", "?")).append('\n');
    md.append("- load: ").append(meta.getOrDefault("load", "?")).append('\n');
    md.append("- versions: ").append(meta.getOrDefault("versions", "?")).append("\n\n");
    md.append("Figures are medians over the rounds (A B, then B A, in turn). \"proxy CPU\" is the proxy's own CPU time ")
        .append("over the wall time of the run (100 % = its one core saturated); \"req per CPU-s\" is requests/s ")
        .append("divided by that, which compares efficiency even when the load generator's core is the bottleneck. ")
        .append("\"edgeray ÷ peer\" is edgeray's requests/s over the peer's: above 1 edgeray is faster. ")
        .append("In the memory and start-up tables it is edgeray's RSS or time over the peer's: above 1 edgeray ")
        .append("uses more memory or starts slower.\n\n");
    for (var sc : scenarioTitle.entrySet()) {
      String id = sc.getKey();
      md.append("### ").append(sc.getValue()).append("\n\n");
      con.append("\n== ").append(sc.getValue()).append('\n');
      if (skips.containsKey(id)) {
        md.append("skipped: ").append(skips.get(id)).append("\n\n");
        con.append("skipped: ").append(skips.get(id)).append('\n');
        continue;
      }
      if (id.equals("memory")) {
        summarizeMemory(mem, proxies, md, con);
      } else if (id.equals("startup")) {
        summarizeStartup(start, proxies, md, con);
      } else {
        summarizeLoad(id, load.getOrDefault(id, Map.of()), proxies, statuses, md, con);
      }
      if (notes.containsKey(id)) {
        md.append('\n').append(notes.get(id)).append('\n');
        con.append(notes.get(id)).append('\n');
      }
      md.append('\n');
    }
    md.append("<!-- bench:end -->\n");
    System.out.print(con);
    String existing = Files.exists(out) ? Files.readString(out) : "";
    int a = existing.indexOf("<!-- bench:start");
    int b = existing.indexOf("<!-- bench:end -->");
    String doc;
    if (a >= 0 && b > a) {
      doc = existing.substring(0, a) + md + existing.substring(b + "<!-- bench:end -->\n".length());
    } else if (!existing.isEmpty()) {
      doc = existing + "\n" + md;
    } else {
      doc = "# edgeray benchmarks\n\n" + md;
    }
    Files.writeString(out, doc);
    return 0;
  }

  private static void summarizeLoad(String id, Map<String, List<double[]>> byProxy, Set<String> proxies,
      Map<String, String> statuses, StringBuilder md, StringBuilder con) {
    md.append("| proxy | status | req/s | p50 ms | p99 ms | proxy CPU | req per CPU-s | errors | edgeray ÷ peer (req/s) | edgeray ÷ peer (per CPU-s) |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    con.append(String.format(Locale.ROOT, "%-9s %6s %12s %9s %9s %8s %13s %8s %12s%n",
        "proxy", "status", "req/s", "p50 ms", "p99 ms", "cpu", "req/CPU-s", "errors", "edgeray÷peer"));
    double[] ours = medians(byProxy.get("edgeray"));
    Set<String> rows = new LinkedHashSet<>(proxies);
    rows.addAll(byProxy.keySet()); // rows of a scenario's own, as "edgeray (no rules)"
    if (id.equals("rules") || id.equals("dashboard") || id.startsWith("cache_") || id.equals("stale")) rows.retainAll(byProxy.keySet()); // edgeray beside itself: the peers are not in it
    for (String p : rows) {
      double[] m = medians(byProxy.get(p));
      if (m == null) {
        md.append("| ").append(p).append(" | not measured | | | | | | | | |\n");
        con.append(String.format(Locale.ROOT, "%-9s not measured%n", p));
        continue;
      }
      double perCpu = m[3] > 0 ? m[0] / (m[3] / 100.0) : Double.NaN;
      double oursPerCpu = ours != null && ours[3] > 0 ? ours[0] / (ours[3] / 100.0) : Double.NaN;
      boolean self = p.equals("edgeray");
      String r1 = self || ours == null ? "—" : ratio(ours[0], m[0]);
      String r2 = self || ours == null ? "—" : ratio(oursPerCpu, perCpu);
      String st = statuses.getOrDefault(id + "/" + p, "?");
      md.append("| ").append(p).append(" | ").append(st).append(" | ").append(fmt(m[0], 0)).append(" | ")
          .append(fmt(m[1], 2)).append(" | ").append(fmt(m[2], 2)).append(" | ").append(fmt(m[3], 0)).append(" % | ")
          .append(fmt(perCpu, 0)).append(" | ").append(fmt(m[4], 0)).append(" | ").append(r1).append(" | ")
          .append(r2).append(" |\n");
      con.append(String.format(Locale.ROOT, "%-9s %6s %12s %9s %9s %7s%% %13s %8s %12s%n", p, st, fmt(m[0], 0),
          fmt(m[1], 2), fmt(m[2], 2), fmt(m[3], 0), fmt(perCpu, 0), fmt(m[4], 0), r1));
    }
  }

  /** Medians of rps, p50, p99, cpu; the sum of errors. */
  private static double[] medians(List<double[]> rounds) {
    if (rounds == null || rounds.isEmpty()) return null;
    double[] m = new double[5];
    for (int f = 0; f < 4; f++) {
      List<Double> xs = new ArrayList<>();
      for (double[] r : rounds) if (!Double.isNaN(r[f])) xs.add(r[f]);
      m[f] = median(xs);
    }
    for (double[] r : rounds) m[4] += (Double.isNaN(r[4]) ? 0 : r[4]);
    return m;
  }

  private static void summarizeMemory(Map<String, List<double[]>> mem, Set<String> proxies, StringBuilder md,
      StringBuilder con) {
    md.append("| proxy | RSS idle (MiB) | RSS holding N (MiB) | connections held | KiB per connection | edgeray ÷ peer (RSS holding) |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    con.append(String.format(Locale.ROOT, "%-9s %12s %14s %8s %10s %12s%n", "proxy", "idle MiB", "holding MiB",
        "held", "KiB/conn", "edgeray÷peer"));
    double oursHeld = Double.NaN;
    if (mem.containsKey("edgeray")) oursHeld = median(col(mem.get("edgeray"), 1));
    for (String p : proxies) {
      List<double[]> rs = mem.get(p);
      if (rs == null) {
        md.append("| ").append(p).append(" | not measured | | | | |\n");
        con.append(String.format(Locale.ROOT, "%-9s not measured%n", p));
        continue;
      }
      double base = median(col(rs, 0)), held = median(col(rs, 1)), n = median(col(rs, 2));
      double per = n > 0 ? (held - base) / n : Double.NaN;
      String r = p.equals("edgeray") ? "—" : ratio(oursHeld, held);
      md.append("| ").append(p).append(" | ").append(fmt(base / 1024, 1)).append(" | ").append(fmt(held / 1024, 1))
          .append(" | ").append(fmt(n, 0)).append(" | ").append(fmt(per, 1)).append(" | ").append(r).append(" |\n");
      con.append(String.format(Locale.ROOT, "%-9s %12s %14s %8s %10s %12s%n", p, fmt(base / 1024, 1),
          fmt(held / 1024, 1), fmt(n, 0), fmt(per, 1), r));
    }
  }

  private static void summarizeStartup(Map<String, List<Double>> start, Set<String> proxies, StringBuilder md,
      StringBuilder con) {
    md.append("| proxy | launch to first proxied 200 (ms) | edgeray ÷ peer (time) |\n|---|---:|---:|\n");
    con.append(String.format(Locale.ROOT, "%-9s %10s %12s%n", "proxy", "ms", "edgeray÷peer"));
    double ours = start.containsKey("edgeray") ? median(start.get("edgeray")) : Double.NaN;
    for (String p : proxies) {
      List<Double> xs = start.get(p);
      if (xs == null) {
        md.append("| ").append(p).append(" | not measured | |\n");
        con.append(String.format(Locale.ROOT, "%-9s not measured%n", p));
        continue;
      }
      double m = median(xs);
      String r = p.equals("edgeray") ? "—" : ratio(ours, m);
      md.append("| ").append(p).append(" | ").append(fmt(m, 0)).append(" | ").append(r).append(" |\n");
      con.append(String.format(Locale.ROOT, "%-9s %10s %12s%n", p, fmt(m, 0), r));
    }
  }

  private static List<Double> col(List<double[]> rs, int i) {
    List<Double> xs = new ArrayList<>();
    for (double[] r : rs) xs.add(r[i]);
    return xs;
  }

  private static double d(String s) {
    try {
      return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
