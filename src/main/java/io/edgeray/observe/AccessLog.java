package io.edgeray.observe;

import io.edgeray.observe.RaySummary;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 *
 * <p>It writes bytes and counts them, so that a {@link Lines} listener (the ray index) learns
 * the file and offset of every line once the line is flushed, without reading the file again.
 */
public final class AccessLog implements RayObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  private final BlockingQueue<RaySummary> queue = new ArrayBlockingQueue<>(65536);
  /**
   * For this long after its last line the writer looks for more every 4 ms, not every 20: what
   * waits in the queue is alive at each young collection, which copies it (and in the end promotes
   * it). At 75,000 rays a second, 20 ms of them is 1,500 summaries copied by every collection; 4 ms, 300.
   */
  private static final long BUSY_NANOS = 100_000_000L;
  private final AtomicLong dropped = new AtomicLong();
  private final Path path; // null for stdout
  private final Lines lines;
  private OutputStream out; // only the writer thread touches it and position after the constructor
  private long position; // the file's size as this log sees it: the offset of the next line
  private final Thread writer;
  private volatile boolean closing;
  private final AtomicLong reopens = new AtomicLong(); // asked for
  private volatile long reopened; // done, by the writer thread

  /** Where each line went, told on the writer thread after the line is flushed (files only, never stdout). */
  public interface Lines {
    Lines NONE = new Lines() {
      @Override
      public void opened(Path file, long size) {}

      @Override
      public void written(RaySummary ray, long offset, int length) {}
    };

    /** The log (re)opened {@code file}, {@code size} bytes long: the lines that follow are in it. */
    void opened(Path file, long size);

    /** {@code ray}'s line, newline included, is {@code length} bytes at {@code offset} of the file last opened. */
    void written(RaySummary ray, long offset, int length);
  }

  public AccessLog(String target) throws IOException {
    this(target, Lines.NONE);
  }

  public AccessLog(String target, Lines lines) throws IOException {
    this.lines = lines;
    if (target.equals("-")) {
      path = null;
      out = new BufferedOutputStream(System.out, 1 << 16);
    } else {
      path = Path.of(target);
      out = open(path);
    }
    writer = new Thread(this::drain, "edgeray-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  private OutputStream open(Path path) throws IOException {
    if (path.getParent() != null) Files.createDirectories(path.getParent());
    OutputStream o = new BufferedOutputStream(Files.newOutputStream(path,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
    position = Files.size(path);
    lines.opened(path, position);
    return o;
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
    out.flush();
    out.close();
    reopened = asked;
    try {
      out = open(path);
      LOG.info("access log reopened: {}", path);
    } catch (IOException e) {
      out = OutputStream.nullOutputStream();
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
    long[] offsets = new long[4096];
    ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
    long lastLines = System.nanoTime() - BUSY_NANOS;
    try {
      AccessLogLine.Encoder encoder = new AccessLogLine.Encoder(line);
      while (!closing || !queue.isEmpty()) {
        if (path != null && reopens.get() != reopened) {
          reopenNow();
        }
        int n = queue.drainTo(batch, 4096);
        for (int i = 0; i < n; i++) {
          line.reset();
          encoder.write(batch.get(i));
          line.writeTo(out);
          offsets[i] = position;
          position += line.size();
        }
        if (n > 0) {
          // a batch is at most 4096 lines, so flushing each one costs little more than the buffer's own
          // flushes, and a line the index knows is always readable from the file
          out.flush();
          if (path != null) {
            for (int i = 0; i < n; i++) {
              long end = i + 1 < n ? offsets[i + 1] : position;
              lines.written(batch.get(i), offsets[i], (int) (end - offsets[i]));
            }
          }
        }
        batch.clear();
        if (n > 0) lastLines = System.nanoTime();
        else Thread.sleep(System.nanoTime() - lastLines < BUSY_NANOS ? 4 : 20);
      }
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
