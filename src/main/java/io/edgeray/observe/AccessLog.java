package io.edgeray.observe;

import io.edgeray.observe.RaySummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one JSON line per ray, written by its own thread. The event loop only offers
 * the finished ray to a bounded queue; when the disk cannot keep up, lines are counted as dropped
 * rather than ever making a visitor wait.
 */
public final class AccessLog implements RayObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  private final BlockingQueue<RaySummary> queue = new ArrayBlockingQueue<>(65536);
  private final AtomicLong dropped = new AtomicLong();
  private final Path path; // null for stdout
  private Writer out; // only the writer thread touches it and its encoder after the constructor
  private AccessLogLine line;
  private final Thread writer;
  private volatile boolean closing;
  private final AtomicLong reopens = new AtomicLong(); // asked for
  private volatile long reopened; // done, by the writer thread

  public AccessLog(String target) throws IOException {
    if (target.equals("-")) {
      path = null;
      out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    } else {
      path = Path.of(target);
      out = open(path);
    }
    line = new AccessLogLine(out);
    writer = new Thread(this::drain, "edgeray-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  private static Writer open(Path path) throws IOException {
    if (path.getParent() != null) Files.createDirectories(path.getParent());
    // 64 KiB, as nginx's buffer=64k: the writer flushes in batches, so a write is one per many lines
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 1 << 16);
  }

  /**
   * Closes the file and opens its path again, after the lines already queued are written to the
   * old one: after logrotate renamed the file, new lines go to a new file of the old name. The
   * writer thread does it between two batches; this call returns at once.
   */
  public void reopen() {
    if (path != null) reopens.incrementAndGet();
  }

  /** How many reopens the writer thread has carried out (for tests and the reload log line). */
  public long reopened() {
    return reopened;
  }

  private void reopenNow() throws IOException {
    long asked = reopens.get();
    if (asked == reopened) return;
    line.flush();
    out.flush();
    out.close();
    reopened = asked;
    try {
      out = open(path);
      line = new AccessLogLine(out);
      LOG.info("access log reopened: {}", path);
    } catch (IOException e) {
      out = Writer.nullWriter();
      line = new AccessLogLine(out);
      LOG.error("access log stopped: cannot reopen {} ({}); the next reload tries again", path, e.getMessage());
    }
  }

  @Override
  public void rayFinished(RaySummary ray) {
    if (!queue.offer(ray) && dropped.incrementAndGet() == 1) {
      LOG.warn("access log cannot keep up: dropping lines (counted in edgeray_access_log_dropped_total)");
    }
  }

  public long dropped() {
    return dropped.get();
  }

  private void drain() {
    java.util.List<RaySummary> batch = new java.util.ArrayList<>(4096);
    long lastFlush = System.nanoTime();
    boolean dirty = false;
    try {
      while (!closing || !queue.isEmpty()) {
        if (path != null && reopens.get() != reopened) {
          reopenNow();
        }
        int n = queue.drainTo(batch, 4096);
        for (RaySummary r : batch) line.write(r);
        batch.clear();
        if (n > 0) dirty = true;
        if (dirty && (n == 0 || System.nanoTime() - lastFlush > 200_000_000L)) {
          line.flush();
          out.flush();
          dirty = false;
          lastFlush = System.nanoTime();
        }
        if (n == 0) Thread.sleep(20);
      }
      line.flush();
      out.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.error("access log stopped: cannot write: {}", e.getMessage());
    }
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
