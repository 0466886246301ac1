package io.edgeray.incident;

import io.edgeray.config.EdgeConfig;
import io.edgeray.doctor.CheckResult;
import io.edgeray.doctor.Doctor;
import io.edgeray.doctor.DoctorTarget;
import io.edgeray.doctor.Finding;
import io.edgeray.doctor.Report;
import io.edgeray.doctor.SupportMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the doctor for an incident's host, as {@code edgeray doctor HOST} would, off the event
 * loops: two threads and a short queue, and at most one run per host per {@link #MIN_GAP}, so a
 * storm of failures never becomes a storm of probes against the origin (one run is bounded by
 * the doctor itself: a few connects per origin address, within the probe timeout plus 1.5 s).
 */
final class IncidentDoctor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentDoctor.class);
  static final Duration MIN_GAP = Duration.ofMinutes(5);

  private final Supplier<EdgeConfig> config;
  private final Doctor doctor;
  private final Clock clock;
  private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor threads = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(8), r -> {
        Thread t = new Thread(r, "edgeray-incident-doctor");
        t.setDaemon(true);
        return t;
      });

  /**
   * @param config the config with the listeners as bound, so the request through the edge reaches it
   * @param clock the incidents' clock, for the gap between runs
   */
  IncidentDoctor(Supplier<EdgeConfig> config, Doctor.Settings settings, Clock clock) {
    this.config = config;
    this.doctor = new Doctor(settings);
    this.clock = clock;
    threads.allowCoreThreadTimeOut(true);
  }

  /** Examines {@code host} and gives {@code done} what was found, or why the doctor did not run. */
  void examine(String host, Consumer<IncidentRecord.DoctorRun> done) {
    Instant now = clock.instant();
    Instant before = lastRun.get(host);
    if (before != null && before.plus(MIN_GAP).isAfter(now)) {
      done.accept(IncidentRecord.DoctorRun.skipped(now.toString(),
          "the doctor examined " + host + " at " + before + ": at most one run per host every " + MIN_GAP.toMinutes() + " minutes"));
      return;
    }
    lastRun.put(host, now);
    try {
      threads.execute(() -> done.accept(run(host, now)));
    } catch (RejectedExecutionException e) {
      done.accept(IncidentRecord.DoctorRun.skipped(now.toString(), "the doctor is busy with other hosts"));
    }
  }

  private IncidentRecord.DoctorRun run(String host, Instant asked) {
    try {
      Report r = doctor.examine(config.get(), DoctorTarget.parse(host));
      Finding v = r.verdict();
      return new IncidentRecord.DoctorRun(asked.toString(), null, v.cause().id(), v.cause().verdict(), v.confidence().word(),
          v.evidence(), v.cause().whereToFix(), SupportMessage.render(r), r.millis(),
          r.checks().stream().map(IncidentDoctor::seen).toList());
    } catch (RuntimeException e) {
      LOG.warn("incident doctor for {} could not finish", host, e);
      return IncidentRecord.DoctorRun.skipped(asked.toString(), "the doctor could not finish: " + e);
    }
  }

  private static IncidentRecord.CheckSeen seen(CheckResult c) {
    return new IncidentRecord.CheckSeen(c.id(), c.outcome().word(), c.summary());
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
