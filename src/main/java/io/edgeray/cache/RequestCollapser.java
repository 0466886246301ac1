package io.edgeray.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Concurrent misses for one key share one origin fetch (as nginx's proxy_cache_lock and Varnish
 * do). The first caller leads: it fetches and must {@link Flight#complete complete} its flight.
 * The others follow: they get a future that completes with the leader's outcome, on the leader's
 * thread, so an event-loop caller continues with {@code whenCompleteAsync(..., ctx.executor())}.
 * Nothing here blocks.
 *
 * <p>Waiting is bounded: after {@code maxWait} the followers are released with the timeout outcome
 * and the key is free for a new leader, so a leader that never reports cannot hang anyone; at most
 * {@code maxFollowers} wait for one flight, the rest go to the origin themselves.
 *
 * @param <T> what a flight ends with (stored, not storable, origin failed)
 */
public final class RequestCollapser<T> {
  /** Runs a task after a delay; the edge passes a real one, tests one they advance by hand. */
  public interface Timer {
    /** Schedules the task; the answer cancels it (a no-op once it ran). */
    Runnable schedule(Duration delay, Runnable task);

    /**
     * One shared timer thread, never an event loop. Not the JDK's {@code delayedExecutor}: on a
     * one-core machine its default pool starts a new thread for every task, and every leader
     * schedules one. A task cancelled when its flight ends leaves the queue at once, so a burst
     * of misses does not hold their flights for the whole wait.
     */
    static Timer system() {
      return SystemTimer.INSTANCE;
    }
  }

  private static final class SystemTimer implements Timer {
    static final SystemTimer INSTANCE = new SystemTimer();
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "edgeray-cache-timer");
      t.setDaemon(true);
      return t;
    });

    private SystemTimer() {
      thread.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
      ScheduledFuture<?> f = thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }
  }

  private final ConcurrentHashMap<String, Flight<T>> flights = new ConcurrentHashMap<>();
  private final Timer timer;
  private final Duration maxWait;
  private final int maxFollowers;
  private final Supplier<T> timedOut;

  public RequestCollapser(Timer timer, Duration maxWait, int maxFollowers, Supplier<T> timedOut) {
    this.timer = timer;
    this.maxWait = maxWait;
    this.maxFollowers = maxFollowers;
    this.timedOut = timedOut;
  }

  /** What joining gives: lead the fetch, follow one, or go alone (too many already waiting). */
  public sealed interface Ticket<T> permits Leader, Follower, Alone {}

  public record Leader<T>(Flight<T> flight) implements Ticket<T> {}

  public record Follower<T>(CompletableFuture<T> outcome) implements Ticket<T> {}

  public record Alone<T>() implements Ticket<T> {}

  public Ticket<T> join(String key) {
    Flight<T> mine = new Flight<>(key, flights);
    Flight<T> existing = flights.putIfAbsent(key, mine);
    if (existing == null) {
      mine.timeout = timer.schedule(maxWait, () -> mine.complete(timedOut.get()));
      return new Leader<>(mine);
    }
    if (existing.followers.incrementAndGet() > maxFollowers) return new Alone<>();
    return new Follower<>(existing.result);
  }

  /** Flights in progress (for tests and the admin view). */
  public int inFlight() {
    return flights.size();
  }

  /** Requests waiting behind a flight in progress right now (for tests and the admin view). */
  public int following() {
    int n = 0;
    for (Flight<T> f : flights.values()) n += Math.min(f.followers.get(), maxFollowers);
    return n;
  }

  /** One origin fetch that others wait for. */
  public static final class Flight<T> {
    private final String key;
    private final ConcurrentHashMap<String, Flight<T>> flights;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final AtomicInteger followers = new AtomicInteger();
    private volatile Runnable timeout = () -> {};

    private Flight(String key, ConcurrentHashMap<String, Flight<T>> flights) {
      this.key = key;
      this.flights = flights;
    }

    /** Ends the flight: the key is free and every follower wakes with {@code outcome}. Later calls do nothing. */
    public void complete(T outcome) {
      flights.remove(key, this);
      result.complete(outcome);
      timeout.run();
    }

    public boolean done() {
      return result.isDone();
    }
  }
}
