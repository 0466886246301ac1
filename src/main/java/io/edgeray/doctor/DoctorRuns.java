package io.edgeray.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.analytics.ApiError;
import io.edgeray.config.EdgeConfig;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code POST /api/doctor {"host": "shop.example"}}: the doctor the CLI runs, on threads of its
 * own (a run waits seconds on probes), answering the JSON report of {@code --format json}. At
 * most one run per host at a time: a caller who asks while one is running gets that run's report.
 */
public final class DoctorRuns implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<EdgeConfig> config;
  private final Doctor doctor;
  private final ConcurrentHashMap<String, CompletableFuture<String>> running = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "edgeray-doctor-api");
    t.setDaemon(true);
    return t;
  });

  /** @param config the running config with the listeners as bound, so the doctor's request reaches this edge */
  public DoctorRuns(Supplier<EdgeConfig> config, Doctor.Settings settings) {
    this.config = config;
    this.doctor = new Doctor(settings);
  }

  /**
   * Starts a run for the body's host (or joins the one running) and completes with its report.
   *
   * @throws ApiError 400 for a body that is not {@code {"host": "..."}}, 422 for a host no zone of this edge serves
   */
  public CompletableFuture<String> run(byte[] body) {
    DoctorTarget target = target(body);
    EdgeConfig c = config.get();
    if (c.zoneFor(target.host()).isEmpty()) {
      throw new ApiError(422, "host_not_served", "no zone of this edge serves " + target.host(), "host");
    }
    CompletableFuture<String>[] mine = new CompletableFuture[1];
    CompletableFuture<String> run = running.computeIfAbsent(target.host(), h -> mine[0] = new CompletableFuture<>());
    if (run == mine[0]) {
      threads.execute(() -> {
        try {
          run.complete(JsonReport.render(doctor.examine(c, target)));
        } catch (RuntimeException | Error e) {
          run.completeExceptionally(e);
        } finally {
          running.remove(target.host(), run);
        }
      });
    }
    return run;
  }

  /**
   * The host the body asks about, as written (a URL stays a URL), for the doctor run on every node.
   *
   * @throws ApiError as {@link #run} does for a body without a usable host
   */
  public static String askedHost(byte[] body) {
    target(body);
    try {
      return JSON.readTree(body).get("host").asText();
    } catch (IOException e) {
      throw new IllegalStateException("read once already", e);
    }
  }

  private static DoctorTarget target(byte[] body) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiError(400, "bad_json", "the body is not JSON: send {\"host\": \"shop.example\"}", null);
    }
    if (n == null || !n.path("host").isTextual() || n.get("host").asText().isBlank()) {
      throw new ApiError(400, "host_missing", "name the host to examine: {\"host\": \"shop.example\"}", "host");
    }
    try {
      return DoctorTarget.parse(n.get("host").asText());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "bad_host", e.getMessage(), "host");
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
