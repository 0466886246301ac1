package io.edgeray.hardening;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where the edge's own visitor timers come from (today the request-head deadline of
 * {@link StrictRequestDecoder}), so that a test can move time forward instead of sleeping.
 *
 * <p>Why not a Netty {@link io.netty.util.concurrent.Ticker}: in Netty 4.2.17 only
 * {@code ManualIoEventLoop} takes a ticker; the event loops of {@code MultiThreadIoEventLoopGroup}
 * always run on the system ticker, and running the edge on manual loops would mean driving every
 * loop by hand. So the timer itself is the injected thing: production schedules on the channel's
 * event loop exactly as before; a test's manual clock keeps the tasks and, when it is advanced,
 * runs the ones that are due on the event loop they were scheduled for. The timers of the edge
 * package's per-loop timer lists (origin timeouts, the visitor idle timeout) still follow the
 * loop's system ticker.
 */
@FunctionalInterface
public interface EdgeTimers {
  /** The event loop's own scheduler: real time. */
  EdgeTimers SYSTEM = (executor, task, delay) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);

  /**
   * Runs {@code task} on {@code executor} once {@code delay} has passed; cancelling the returned
   * future before then means it never runs.
   */
  Future<?> schedule(EventExecutor executor, Runnable task, Duration delay);
}
