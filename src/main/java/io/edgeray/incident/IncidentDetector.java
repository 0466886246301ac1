package io.edgeray.incident;

import io.edgeray.config.IncidentSettings;
import io.edgeray.failure.OriginFailure;
import io.edgeray.observe.RayObserver;
import io.edgeray.observe.RaySummary;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Watches every finished ray for origin failures, per host, and opens an incident when a host
 * crosses the threshold ({@link HostWindow} says when). On the event loop it only counts: the
 * doctor, the file and the webhooks are the {@link Listener}'s business, on another thread.
 *
 * <p>What counts: a ray the edge answered with a 52x origin failure (or answered from a stale copy
 * because of one). What does not: the edge's own refusals (1xxx: firewall, rate limits, pause),
 * which say nothing about the origin either way; a 5xx the origin itself sent, which is an answer;
 * and the doctor's own probes, which would keep an incident open by looking at it.
 */
public final class IncidentDetector implements RayObserver {
  /** Hosts watched at once; rays of further hosts are not watched until idle ones are dropped. */
  static final int MAX_HOSTS = 10_000;
  private static final long IDLE_MILLIS = 10 * 60_000;

  /** Told when an incident opens (on an event loop: hand off at once) and closes (on the ticking thread). */
  interface Listener {
    void opened(Incident incident, Instant lastGood);

    void closed(Incident incident);
  }

  private final Clock clock;
  private final Supplier<IncidentSettings> settings;
  private final Listener listener;
  private final ConcurrentHashMap<String, HostWindow> windows = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder watched = new java.util.concurrent.atomic.LongAdder();

  IncidentDetector(Clock clock, Supplier<IncidentSettings> settings, Listener listener) {
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
  }

  @Override
  public void rayFinished(RaySummary r) {
    if (r.doctor()) return;
    watched.increment();
    if (r.zone() == null || r.host() == null || r.host().isEmpty()) return;
    if (r.error() != null && !(r.error() instanceof OriginFailure)) return; // an edge refusal: not about the origin
    long now = clock.millis();
    HostWindow w = windows.get(r.host());
    if (w == null) {
      if (windows.size() >= MAX_HOSTS) return;
      w = windows.computeIfAbsent(r.host(), h -> new HostWindow(h, r.zone(), now));
    }
    Incident opened = w.record(r, now, settings.get());
    if (opened != null) listener.opened(opened, w.lastGood());
  }

  /** Rays given to the detector so far but the doctor's, counted or not (tests wait on it rather than on time). */
  long watched() {
    return watched.sum();
  }

  /** Closes what has been calm for {@code close_after} and forgets idle hosts; called every second. */
  void tick() {
    long now = clock.millis();
    IncidentSettings s = settings.get();
    List<Incident> closed = new ArrayList<>();
    windows.values().removeIf(w -> {
      Incident c = w.tick(now, s);
      if (c != null) closed.add(c);
      return w.idleSince(now - IDLE_MILLIS);
    });
    closed.forEach(listener::closed);
  }

  /** An incident a previous run of the edge left open goes on here. */
  void resume(Incident i) {
    long now = clock.millis();
    windows.computeIfAbsent(i.host, h -> new HostWindow(h, i.zone, now)).resume(i, now);
  }
}
