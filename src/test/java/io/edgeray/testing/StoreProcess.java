package io.edgeray.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real store server (etcd, Redis) as a child process on free loopback ports, with its own
 * temporary data directory: {@link #stop()} and {@link #start()} again keep the ports and the
 * data, as an outage and a return do. {@link #close()} stops it and deletes the directory. A test
 * on a machine without the binary is skipped with the package to install.
 */
public abstract class StoreProcess implements AutoCloseable {
  protected final Path dir;
  protected final int port;
  private Process process;

  protected StoreProcess(String binary, String debianPackage) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(binary)),
        binary + " is not installed (apt-get install " + debianPackage + "): skipping the fleet test");
    this.dir = Files.createTempDirectory("edgeray-" + Path.of(binary).getFileName());
    this.port = Ports.closedPort();
  }

  protected abstract List<String> command();

  /** Answers once the server serves. */
  protected abstract boolean ready();

  public int port() {
    return port;
  }

  public synchronized StoreProcess start() throws IOException {
    if (process != null) throw new IllegalStateException("already running");
    process = new ProcessBuilder(command()).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!ready()) {
      if (!process.isAlive()) throw new IOException(command().get(0) + " exited: " + log());
      if (System.nanoTime() > deadline) throw new IOException(command().get(0) + " did not get ready in 20 s: " + log());
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    return this;
  }

  /** Stops the server (SIGKILL: an outage, not a goodbye); the data directory stays for a restart. */
  public synchronized void stop() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Freezes the server (SIGSTOP): it keeps its connections and answers nothing, as a slow store does. */
  public synchronized void freeze(boolean frozen) throws IOException, InterruptedException {
    new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  protected boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String log() {
    try {
      String all = Files.readString(dir.resolve("server.log"));
      return all.length() > 2000 ? all.substring(all.length() - 2000) : all;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
