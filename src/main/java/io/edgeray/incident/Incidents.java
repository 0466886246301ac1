package io.edgeray.incident;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.IncidentSettings;
import io.edgeray.doctor.Doctor;
import io.edgeray.observe.RayObserver;
import io.edgeray.pool.WebhookNotifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's incidents: the {@link IncidentDetector} on the rays, and on one thread of its own
 * everything an incident then sets off: the record in {@code incidents.jsonl}, the doctor (on its
 * own bounded threads), the notifications, and every second the check whether an open incident
 * has been calm long enough to close. The last {@value #KEPT} incidents are kept in memory.
 */
public final class Incidents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Incidents.class);
  static final int KEPT = 200;

  private final ChangeFeed changes;
  private final java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
  private final IncidentDetector detector;
  private final IncidentDoctor doctor;
  private final IncidentNotifier notifier;
  private final IncidentLog log;
  private final Map<String, Incident> kept = Collections.synchronizedMap(new LinkedHashMap<>());
  private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "edgeray-incidents");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param config the running config (thresholds, webhooks)
   * @param doctorConfig the running config with the listeners as bound, for the doctor's request through the edge
   * @param doctorSettings the doctor's probe timeout and the edge's mark for its requests
   * @param configFile the config's path, for {@code incidents.jsonl} when the access log goes to stdout; may be null
   */
  public Incidents(Clock clock, Supplier<EdgeConfig> config, Supplier<EdgeConfig> doctorConfig, Doctor.Settings doctorSettings,
      Path configFile, Duration webhookBackoff) {
    this.changes = new ChangeFeed(clock);
    this.detector = new IncidentDetector(clock,
        () -> config.get().features().get(IncidentSettings.class, IncidentSettings.DEFAULTS), new Listener());
    this.doctor = new IncidentDoctor(doctorConfig, doctorSettings, clock);
    this.notifier = new IncidentNotifier(config, new WebhookNotifier(webhookBackoff));
    this.log = IncidentLog.beside(config.get().accessLog(), configFile);
    for (IncidentRecord r : log.load(KEPT)) {
      Incident i = Incident.of(r);
      kept.put(i.id, i);
      if (r.open()) detector.resume(i); // left open by the last run: it closes after close_after of calm
    }
    // a change during an incident is part of its record, on file too
    changes.onChange(c -> later(() -> openIncidents().forEach(i -> {
      i.changed(c);
      log.append(i.record());
    })));
    work.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Gets every finished ray. */
  public RayObserver observer() {
    return detector;
  }

  /** Rays the detector has been given so far. */
  public long raysWatched() {
    return detector.watched();
  }

  /** Where reloads, pool state changes and certificate rotations are noted. */
  public ChangeFeed changes() {
    return changes;
  }

  /** Where the incidents are kept across restarts, or null when nowhere. */
  public Path file() {
    return log.path();
  }

  /** Every incident kept, newest first. */
  public List<IncidentRecord> all() {
    List<Incident> now;
    synchronized (kept) {
      now = new ArrayList<>(kept.values());
    }
    Collections.reverse(now);
    return now.stream().map(Incident::record).toList();
  }

  public Optional<IncidentRecord> get(String id) {
    Incident i = kept.get(id);
    return i == null ? Optional.empty() : Optional.of(i.record());
  }

  private List<Incident> openIncidents() {
    synchronized (kept) {
      return kept.values().stream().filter(Incident::isOpen).toList();
    }
  }

  /** How many times the once-a-second close check has run (tests wait for one rather than for time). */
  public long checks() {
    return checks.get();
  }

  private void tick() {
    checks.incrementAndGet();
    try {
      detector.tick();
    } catch (RuntimeException e) {
      LOG.error("incident check failed", e);
    }
  }

  /** Runs on the incidents' thread; after close, the doctor's late answer has nowhere to go. */
  private void later(Runnable r) {
    try {
      work.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("incidents closed: a doctor run's result is dropped");
    }
  }

  private void keep(Incident i) {
    synchronized (kept) {
      kept.put(i.id, i);
      if (kept.size() > KEPT) {
        kept.values().stream().filter(k -> !k.isOpen()).findFirst().ifPresent(old -> kept.remove(old.id));
      }
    }
  }

  private final class Listener implements IncidentDetector.Listener {
    @Override
    public void opened(Incident i, Instant lastGood) {
      work.execute(() -> {
        i.changed(changes.since(lastGood));
        keep(i);
        IncidentRecord r = i.record();
        LOG.warn("incident {} opened for {}: {} origin failures of {} rays, codes {}", i.id, i.host, r.failures(), r.rays(),
            r.codes());
        log.append(r);
        notifier.send(IncidentNotifier.OPENED, r, i);
        doctor.examine(i.host, run -> later(() -> {
          i.diagnosed(run);
          IncidentRecord d = i.record();
          LOG.warn("incident {} for {}: {}", i.id, i.host, run.skipped() != null ? run.skipped() : run.cause() + ": " + run.evidence());
          log.append(d);
          notifier.send(IncidentNotifier.VERDICT, d, i);
        }));
      });
    }

    @Override
    public void closed(Incident i) {
      work.execute(() -> doctor.examine(i.host, run -> later(() -> {
        i.diagnosedAtClose(run);
        IncidentRecord r = i.record();
        LOG.info("incident {} for {} closed at {}", i.id, i.host, r.ended());
        log.append(r);
        notifier.send(IncidentNotifier.CLOSED, r, i);
      })));
    }
  }

  @Override
  public void close() {
    work.shutdown();
    try {
      work.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    doctor.close();
    log.close();
  }
}
