package io.edgeray.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling, so tests never sleep a guessed amount and hope. */
public final class Await {
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /**
   * Returns as soon as {@code cond} is true; throws an AssertionError naming {@code what} when it
   * is still false after {@code timeout}. The condition is checked once more after the deadline so
   * a slow last poll is not reported as a timeout.
   */
  public static void until(Duration timeout, Supplier<Boolean> cond, String what) {
    until(timeout, cond, () -> what);
  }

  /** As above, with the failure's words made at the timeout: they can say what was last seen. */
  public static void until(Duration timeout, Supplier<Boolean> cond, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(cond.get())) return;
      if (System.nanoTime() - deadline >= 0) {
        if (Boolean.TRUE.equals(cond.get())) return;
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what.get(), e);
      }
    }
  }
}
