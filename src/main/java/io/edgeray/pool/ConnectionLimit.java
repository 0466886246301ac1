package io.edgeray.pool;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the open connections to one origin and hands a freed slot straight to the oldest waiter,
 * so the count never exceeds the limit, not even for a moment. Connections are opened on many
 * event loops, hence the lock; it is held only to count, never during I/O.
 */
public final class ConnectionLimit {
  private final OverloadLimit limit;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;

  ConnectionLimit(OverloadLimit limit) {
    this.limit = limit;
  }

  /** A request waiting for a slot; exactly one of grant (slot handed over) or a cancel wins. */
  public static final class Waiter {
    private final AtomicBoolean decided = new AtomicBoolean();
    private final Runnable onGranted;

    public Waiter(Runnable onGranted) {
      this.onGranted = onGranted;
    }

    boolean decide() {
      return decided.compareAndSet(false, true);
    }
  }

  public OverloadLimit limit() {
    return limit;
  }

  /** Takes a slot for a new connection when one is free. */
  public synchronized boolean tryAcquire() {
    if (limit.limited() && open >= limit.maxConnections()) return false;
    open++;
    return true;
  }

  /** Queues a request for the next free slot; false when the queue is full. */
  public synchronized boolean enqueue(Waiter w) {
    if (waiters.size() >= limit.queue()) return false;
    waiters.addLast(w);
    return true;
  }

  /** Gives up waiting (queue timeout); false when a slot was already handed to this waiter. */
  public boolean cancel(Waiter w) {
    if (!w.decide()) return false;
    synchronized (this) {
      waiters.remove(w);
    }
    return true;
  }

  /** A connection closed: its slot goes to the oldest waiter, or back to the pool of slots. */
  public void release() {
    Waiter next;
    synchronized (this) {
      do {
        next = waiters.pollFirst();
      } while (next != null && !next.decide());
      if (next == null) open--;
    }
    if (next != null) next.onGranted.run();
  }

  /** Whether a new connection could be opened now without waiting. */
  public synchronized boolean hasRoom() {
    return !limit.limited() || open < limit.maxConnections();
  }

  public synchronized boolean hasWaiters() {
    return !waiters.isEmpty();
  }

  public synchronized int open() {
    return open;
  }

  public synchronized int waiting() {
    return waiters.size();
  }
}
