package io.edgeray.edge;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeouts of one event loop's rays (the origin's read and write timeouts), with one task
 * scheduled for the loop instead of one per ray. Almost every such timeout is cancelled long
 * before it is due; scheduling a task for each cost an allocation and two priority-queue
 * operations per request. Here a timer is a node in a list per duration, kept in the order the
 * timers were armed, so each list's first node is its earliest deadline: arming appends,
 * cancelling unlinks, neither allocates. The loop's one task wakes at the earliest deadline it
 * knew of, fires what is due and sleeps until the next; a cancelled timer only makes it wake
 * for nothing once. Used from the loop's own thread only.
 */
final class LoopTimers {
  private static final Logger LOG = LoggerFactory.getLogger(LoopTimers.class);
  private static final FastThreadLocal<LoopTimers> PER_LOOP = new FastThreadLocal<>();

  /** One timeout: armed with {@link #arm}, it calls {@link #expired} on the loop unless cancelled first. */
  abstract static class Timer {
    private Line line;
    private Timer previous;
    private Timer next;
    private long deadline;

    /** Runs on the event loop when the timer is due. */
    abstract void expired();

    boolean armed() {
      return line != null;
    }
  }

  /** The armed timers of one duration: deadlines in order, earliest first. */
  private static final class Line {
    final long nanos;
    Timer first;
    Timer last;

    Line(long nanos) {
      this.nanos = nanos;
    }
  }

  private final EventLoop loop;
  private final List<Line> lines = new ArrayList<>(4);
  private final Runnable sweep = this::sweep;
  private Line lastUsed;
  private ScheduledFuture<?> wakeUp;
  private long wakeUpAt;
  private boolean sweeping;

  private LoopTimers(EventLoop loop) {
    this.loop = loop;
  }

  /** The timers of {@code loop}; call on that loop's thread. */
  static LoopTimers of(EventLoop loop) {
    LoopTimers t = PER_LOOP.get();
    if (t == null || t.loop != loop) { // one loop per thread; a loop's thread never changes
      t = new LoopTimers(loop);
      PER_LOOP.set(t);
    }
    return t;
  }

  /** Arms {@code timer} to expire {@code after} from now; an armed timer starts over. */
  void arm(Timer timer, Duration after) {
    cancel(timer);
    Line line = line(after.toNanos());
    timer.deadline = System.nanoTime() + line.nanos;
    timer.line = line;
    timer.previous = line.last;
    if (line.last == null) line.first = timer; else line.last.next = timer;
    line.last = timer;
    if (!sweeping && (wakeUp == null || timer.deadline - wakeUpAt < 0)) wakeAt(timer.deadline);
  }

  /** Disarms {@code timer}; nothing happens if it is not armed. */
  void cancel(Timer timer) {
    Line line = timer.line;
    if (line == null) return;
    if (timer.previous == null) line.first = timer.next; else timer.previous.next = timer.next;
    if (timer.next == null) line.last = timer.previous; else timer.next.previous = timer.previous;
    timer.line = null;
    timer.previous = null;
    timer.next = null;
  }

  /** The line of one duration; a loop sees few (the zones' timeouts), so a list does. */
  private Line line(long nanos) {
    Line l = lastUsed;
    if (l != null && l.nanos == nanos) return l;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).nanos == nanos) return lastUsed = lines.get(i);
    }
    l = new Line(nanos);
    lines.add(l);
    return lastUsed = l;
  }

  private void wakeAt(long deadline) {
    if (wakeUp != null) wakeUp.cancel(false);
    wakeUpAt = deadline;
    wakeUp = loop.schedule(sweep, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void sweep() {
    wakeUp = null;
    sweeping = true; // what the handlers arm is taken into account below
    try {
      long now = System.nanoTime();
      for (int i = 0; i < lines.size(); i++) {
        Line line = lines.get(i);
        for (Timer t = line.first; t != null && t.deadline - now <= 0; t = line.first) {
          cancel(t);
          try {
            t.expired();
          } catch (RuntimeException e) {
            LOG.error("a timeout's handler failed", e);
          }
        }
      }
    } finally {
      sweeping = false;
    }
    Timer earliest = null;
    for (Line line : lines) {
      if (line.first != null && (earliest == null || line.first.deadline - earliest.deadline < 0)) earliest = line.first;
    }
    if (earliest != null) wakeAt(earliest.deadline);
  }
}
