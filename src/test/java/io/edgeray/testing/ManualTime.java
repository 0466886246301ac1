package io.edgeray.testing;

import io.edgeray.hardening.EdgeTimers;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when the test moves it, for the edge's own timers
 * ({@link EdgeTimers}): a timer armed for 500 ms fires the moment {@link #advance} passes 500 ms,
 * on the event loop it was armed on, and never by itself. Time is a Netty {@link MockTicker}.
 *
 * <pre>{@code
 * @RegisterExtension final EdgeExtension edge = EdgeExtension.create().manualTime();
 * Await.until(Duration.ofSeconds(5), () -> edge.time().armed() == 1, "the head timer");
 * edge.time().advance(Duration.ofMillis(500));
 * }</pre>
 */
public final class ManualTime implements EdgeTimers {
  private final MockTicker ticker = Ticker.newMockTicker();
  private final List<Pending> pending = new ArrayList<>(); // guarded by this

  private record Pending(long deadline, EventExecutor executor, Runnable task, Promise<Void> handle) {}

  @Override
  public synchronized Future<?> schedule(EventExecutor executor, Runnable task, Duration delay) {
    Promise<Void> handle = executor.newPromise();
    pending.add(new Pending(ticker.nanoTime() + delay.toNanos(), executor, task, handle));
    return handle;
  }

  /** Time since the clock was made. */
  public Duration now() {
    return Duration.ofNanos(ticker.nanoTime() - ticker.initialNanoTime());
  }

  /** Timers armed and neither fired nor cancelled. */
  public synchronized int armed() {
    pending.removeIf(p -> p.handle().isDone());
    return pending.size();
  }

  /**
   * Moves time forward and hands every timer that is now due, earliest first, to its event loop.
   * Returns once those have run (or were cancelled meanwhile).
   */
  public void advance(Duration d) {
    List<Pending> due = new ArrayList<>();
    synchronized (this) {
      ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
      long now = ticker.nanoTime();
      for (Pending p : pending) if (p.deadline() <= now) due.add(p);
      pending.removeAll(due);
    }
    due.sort(Comparator.comparingLong(Pending::deadline));
    List<Future<?>> ran = new ArrayList<>();
    for (Pending p : due) {
      ran.add(p.executor().submit(() -> {
        if (p.handle().setUncancellable()) {
          p.task().run();
          p.handle().trySuccess(null);
        }
      }));
    }
    for (Future<?> f : ran) {
      if (!f.awaitUninterruptibly(5, TimeUnit.SECONDS)) throw new AssertionError("a due timer did not run within 5 s");
    }
  }
}
