package io.edgeray.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A network namespace the test owns: only {@code lo} (up) and the dummy interfaces the test adds,
 * no link to the machine's real network, so nothing sent inside it can leave the machine. Every
 * {@code ip} command here is either {@code ip netns add/del/pids} for this namespace's own name or
 * runs inside it ({@code ip -n NAME}, {@code ip netns exec NAME}); the host's links and routes are
 * never touched, and no veth pair is ever made.
 *
 * <p>Needs root. Tests guard with {@code Assumptions.assumeTrue(NetNamespace.available(), ...)}.
 */
public final class NetNamespace implements AutoCloseable {
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<NetNamespace> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
  private static volatile Boolean available;

  private final String name;
  private final Path scratch;
  private final List<Process> processes = new ArrayList<>(); // guarded by itself
  private final AtomicInteger outputs = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** What a command run inside the namespace ended with. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** A JVM running inside the namespace, its output going to files. */
  public record JavaProcess(Process process, Path stdout, Path stderr) {
    public String stdoutText() {
      return readQuietly(stdout);
    }

    public String stderrText() {
      return readQuietly(stderr);
    }

    /** Waits until stdout contains {@code text}, e.g. a "listening" line; fails early if the JVM died. */
    public void awaitStdout(String text, Duration timeout) {
      Await.until(timeout, () -> {
        if (stdoutText().contains(text)) return true;
        if (!process.isAlive()) {
          throw new AssertionError("process exited with " + process.exitValue() + " before printing '" + text
              + "'\nstdout: " + stdoutText() + "\nstderr: " + stderrText());
        }
        return false;
      }, "'" + text + "' on stdout of " + stdout);
    }
  }

  private NetNamespace(String name, Path scratch) {
    this.name = name;
    this.scratch = scratch;
  }

  /** True only as root, with {@code ip} present, where creating a namespace actually works. */
  public static boolean available() {
    Boolean known = available;
    if (known == null) {
      synchronized (NetNamespace.class) {
        if (available == null) available = probe();
        known = available;
      }
    }
    return known;
  }

  private static boolean probe() {
    try {
      if (ipCommand().isEmpty()) return false;
      if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) return false;
      try (NetNamespace probe = create()) {
        return probe.name.startsWith("er-");
      }
    } catch (Exception | AssertionError e) {
      return false;
    }
  }

  /** Creates a namespace named {@code er-<random>} with {@code lo} up. */
  public static NetNamespace create() throws IOException {
    installShutdownHook();
    String name = "er-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    NetNamespace ns = new NetNamespace(name, Files.createTempDirectory("edgeray-" + name + "-"));
    ip("netns", "add", name); // fails if the name exists; a random 32-bit name makes that a non-event
    LIVE.add(ns);
    try {
      ip("-n", name, "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /**
   * Adds a dummy interface with the given addresses (CIDR, e.g. {@code 10.200.0.1/24}) and brings
   * it up. Its own addresses answer inside the namespace; packets to the rest of its subnet vanish
   * (no ARP, no peer), so a connect to such an address times out.
   *
   * <p>Kernels built without the dummy driver (some VM and container kernels) get an {@code ifb}
   * device instead: it too is NOARP, has no peer and drops what is sent to it, so it behaves the same.
   */
  public NetNamespace addDummy(String ifName, String... cidrs) throws IOException {
    try {
      ip("-n", name, "link", "add", ifName, "type", "dummy");
    } catch (IOException e) {
      if (!e.getMessage().contains("Unknown device type")) throw e;
      ip("-n", name, "link", "add", ifName, "type", "ifb");
    }
    for (String cidr : cidrs) ip("-n", name, "addr", "add", cidr, "dev", ifName);
    ip("-n", name, "link", "set", ifName, "up");
    return this;
  }

  /**
   * Starts a command inside the namespace. The caller owns its streams (read or redirect them, or
   * a chatty command stalls on a full pipe); the process is destroyed on close.
   */
  public Process exec(List<String> cmd) throws IOException {
    return track(new ProcessBuilder(inside(cmd)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
  }

  /** Runs a command inside the namespace to the end; IllegalStateException if it outlives the timeout. */
  public Result run(Duration timeout, String... cmd) throws IOException, InterruptedException {
    Path out = scratchFile("run", ".out");
    Path err = scratchFile("run", ".err");
    Process p = track(new ProcessBuilder(inside(Arrays.asList(cmd)))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeout
          + " in " + name + "\nstdout: " + readQuietly(out) + "\nstderr: " + readQuietly(err));
    }
    return new Result(p.exitValue(), readQuietly(out), readQuietly(err));
  }

  /** Starts {@code mainClass} in a new JVM inside the namespace, with this JVM's test classpath. */
  public JavaProcess javaProcess(String mainClass, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-cp", testClasspath(), mainClass));
    cmd.addAll(args);
    String stem = mainClass.substring(mainClass.lastIndexOf('.') + 1).replace('$', '-');
    Path out = scratchFile(stem, ".out");
    Path err = scratchFile(stem, ".err");
    Process p = track(new ProcessBuilder(inside(cmd))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
    return new JavaProcess(p, out, err);
  }

  /** A {@link FaultyOrigin} answering OK in its own JVM inside the namespace, bound to {@code bind}; returns its port. */
  public int startOrigin(String bind) throws IOException {
    JavaProcess origin = javaProcess("io.edgeray.testing.FaultyOrigin", List.of(bind, "0", "OK"));
    origin.awaitStdout("listening ", Duration.ofSeconds(8));
    return Integer.parseInt(origin.stdoutText().trim().split("\\s+")[1]);
  }

  /**
   * An origin firewall inside the namespace: packets from {@code source} to tcp {@code port} meet
   * {@code action} ({@code drop}, {@code reject with tcp reset}), everyone else gets through.
   */
  public void firewall(String source, int port, String action) throws IOException, InterruptedException {
    nft("add", "table", "inet", "origin_fw");
    nft("add", "chain", "inet", "origin_fw", "input", "{ type filter hook input priority 0; }");
    List<String> rule = new ArrayList<>(List.of("add", "rule", "inet", "origin_fw", "input",
        "ip", "saddr", source, "tcp", "dport", String.valueOf(port)));
    rule.addAll(Arrays.asList(action.split(" ")));
    nft(rule.toArray(String[]::new));
  }

  /** Runs {@code nft} inside the namespace, so its rules die with it; IOException with nft's stderr when it fails. */
  public void nft(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ExternalCommand.find("nft").orElseThrow(() -> new IOException("no nft command")).toString());
    cmd.addAll(Arrays.asList(args));
    Result r = run(Duration.ofSeconds(5), cmd.toArray(String[]::new));
    if (r.exitCode() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + r.exitCode() + "): " + r.stderr().trim());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      List<Process> mine;
      synchronized (processes) {
        mine = new ArrayList<>(processes);
      }
      for (Process p : mine) stop(p);
      killWhatIsLeftInside();
    } finally {
      try {
        ip("netns", "del", name);
      } catch (IOException | RuntimeException e) {
        System.err.println("NetNamespace: could not delete " + name + ": " + e.getMessage());
      }
      LIVE.remove(this);
      deleteScratch();
    }
  }

  private Process track(Process p) {
    synchronized (processes) {
      processes.add(p);
    }
    return p;
  }

  private List<String> inside(List<String> cmd) {
    if (closed.get()) throw new IllegalStateException(name + " is closed");
    List<String> full = new ArrayList<>(List.of(ipCommand().orElseThrow(), "netns", "exec", name));
    full.addAll(cmd);
    return full;
  }

  private static void stop(Process p) {
    try {
      p.destroy();
      if (!p.waitFor(1, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Children our commands started inside the namespace (they share it) would keep it alive. */
  private void killWhatIsLeftInside() {
    try {
      String pids = ip("netns", "pids", name);
      for (String line : pids.split("\\s+")) {
        if (line.isBlank()) continue;
        ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException | RuntimeException e) {
      // the namespace is deleted below either way; stray processes only keep its kernel object alive
    }
  }

  private Path scratchFile(String stem, String suffix) {
    return scratch.resolve(stem + "-" + outputs.incrementAndGet() + suffix);
  }

  private void deleteScratch() {
    try (Stream<Path> files = Files.walk(scratch)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }

  /** Runs {@code ip} with the given arguments; IOException with its stderr when it fails. */
  private static String ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ipCommand().orElseThrow(() -> new IOException("no ip command")));
    cmd.addAll(Arrays.asList(args));
    Path out = Files.createTempFile("edgeray-ip", ".out");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(IP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish within " + IP_TIMEOUT);
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + output.trim());
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + cmd, e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static Optional<String> ipCommand() {
    List<String> folders = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    folders.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")); // a non-root PATH often lacks sbin
    return folders.stream().filter(f -> !f.isEmpty()).map(f -> Path.of(f, "ip"))
        .filter(Files::isExecutable).map(Path::toString).findFirst();
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Surefire runs tests from a manifest-only jar, so java.class.path may be just that jar; it puts
   * the real test classpath in surefire.test.class.path.
   */
  private static String testClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  /** Deletes namespaces a test forgot to close, when the JVM exits normally or on a signal. */
  private static void installShutdownHook() {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(NetNamespace::close),
          "net-namespace-cleanup"));
    }
  }

  /** For diagnostics: a file that cannot be read (say, deleted on close) reads as a note, not an exception. */
  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }
}
