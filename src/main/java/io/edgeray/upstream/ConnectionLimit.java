package io.edgeray.upstream;

import io.edgeray.config.OverloadLimit;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the open connections to one origin and hands a freed slot straight to the oldest waiter,
 * so the count never exceeds the limit, not even for a moment. Connections are opened on many
 * event loops, hence the lock; it is held only to count, never during I/O. A waiter is answered on
 * its own event loop, granted or refused, exactly once.
 */
public final class ConnectionLimit {
  private final OverloadLimit limit;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;

  public ConnectionLimit(OverloadLimit limit) {
    this.limit = limit;
  }

  /** What waits for a slot: a request on its event loop. */
  public interface SlotRequest {
    /** A slot is now held for this request; returning false hands it back (the request is gone). */
    boolean granted();

    /** No slot: the queue is full, or the wait reached the queue timeout. */
    void refused(String why);

    static SlotRequest of(java.util.function.BooleanSupplier granted, java.util.function.Consumer<String> refused) {
      return new SlotRequest() {
        @Override public boolean granted() { return granted.getAsBoolean(); }
        @Override public void refused(String why) { refused.accept(why); }
      };
    }
  }

  /** A request in the queue; exactly one of a grant and a cancel wins. */
  public static final class Waiter {
    private final AtomicBoolean decided = new AtomicBoolean();
    private final Runnable onGranted;
    private ScheduledFuture<?> timeout;

    Waiter(Runnable onGranted) {
      this.onGranted = onGranted;
    }

    boolean decide() {
      return decided.compareAndSet(false, true);
    }
  }

  public OverloadLimit limit() {
    return limit;
  }

  /**
   * Takes a slot for a new connection to this origin: granted at once when one is free, else the
   * request waits in the queue, or is refused at once when the queue is full.
   *
   * @param who names the origin in the refusal
   * @return the waiter to {@link #cancel} if the request goes away, or null when it was answered at once
   */
  public Waiter acquire(EventLoop loop, String who, SlotRequest request) {
    String why = who + " has its max_connections (" + limit.maxConnections() + ") open";
    Waiter w = new Waiter(() -> loop.execute(() -> grant(request)));
    switch (admit(w)) {
      case GRANTED -> {
        grant(request);
        return null;
      }
      case FULL -> {
        request.refused(why + " and " + limit.queue() + " requests waiting");
        return null;
      }
      default -> {
        w.timeout = loop.schedule(() -> {
          if (cancel(w)) request.refused(why + "; none closed within the queue timeout (" + limit.queueTimeout().toMillis() + " ms)");
        }, limit.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        return w;
      }
    }
  }

  enum Admission { GRANTED, QUEUED, FULL }

  /**
   * A free slot, a place in the queue, or neither, decided under one lock: a slot released between
   * a separate "is one free?" and "then queue" would be lost to this request.
   */
  synchronized Admission admit(Waiter w) {
    if (!limit.limited() || open < limit.maxConnections()) {
      open++;
      return Admission.GRANTED;
    }
    if (waiters.size() >= limit.queue()) return Admission.FULL;
    waiters.addLast(w);
    return Admission.QUEUED;
  }

  /** Hands a held slot to the request; the slot comes back if the request is gone or fails to use it. */
  private void grant(SlotRequest request) {
    boolean used = false;
    try {
      used = request.granted();
    } finally {
      if (!used) release();
    }
  }

  /** Gives up waiting; false when a slot was already handed to this waiter. */
  public boolean cancel(Waiter w) {
    if (!w.decide()) return false;
    synchronized (this) {
      waiters.remove(w);
    }
    if (w.timeout != null) w.timeout.cancel(false);
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
    if (next != null) {
      if (next.timeout != null) next.timeout.cancel(false);
      next.onGranted.run();
    }
  }

  /** A release that takes effect once however often it runs, for a connection with several ways to end. */
  public Runnable releaseOnce() {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) release();
    };
  }

  /** Whether a new connection could be opened now without waiting. */
  public boolean hasRoom() {
    if (!limit.limited()) return true; // the common case, asked per request: no lock
    synchronized (this) {
      return open < limit.maxConnections();
    }
  }

  public boolean hasWaiters() {
    if (!limit.limited()) return false;
    synchronized (this) {
      return !waiters.isEmpty();
    }
  }

  public synchronized int open() {
    return open;
  }

  public synchronized int waiting() {
    return waiters.size();
  }
}
