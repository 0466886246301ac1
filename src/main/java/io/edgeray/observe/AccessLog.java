package io.edgeray.observe;

import io.edgeray.edge.RaySummary;
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
import java.util.concurrent.TimeUnit;
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
  private static final RaySummary STOP = null;

  private final BlockingQueue<RaySummary> queue = new ArrayBlockingQueue<>(65536);
  private final AtomicLong dropped = new AtomicLong();
  private final Writer out;
  private final Thread writer;
  private volatile boolean closing;

  public AccessLog(String target) throws IOException {
    if (target.equals("-")) {
      out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    } else {
      Path path = Path.of(target);
      if (path.getParent() != null) Files.createDirectories(path.getParent());
      out = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
    writer = new Thread(this::drain, "edgeray-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void rayFinished(RaySummary ray) {
    if (!queue.offer(ray)) dropped.incrementAndGet();
  }

  public long dropped() {
    return dropped.get();
  }

  private void drain() {
    try {
      while (!closing || !queue.isEmpty()) {
        RaySummary r = queue.poll(200, TimeUnit.MILLISECONDS);
        if (r == STOP) continue;
        AccessLogLine.write(r, out);
        if (queue.isEmpty()) out.flush();
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
