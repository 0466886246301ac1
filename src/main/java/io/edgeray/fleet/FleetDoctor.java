package io.edgeray.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeray.config.FleetSettings;
import io.edgeray.failure.OriginFailure;
import io.edgeray.failure.SeenFrom;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The doctor from every location: each registered node runs it for the host over its own admin
 * API ({@code POST /api/doctor {"host", "fleet": false}} with the {@link FleetSecret fleet
 * credential}), all at once, within {@link #BOUND}; one row per node, and a sentence saying
 * whether the origin fails from everywhere (the origin) or from some places only (a path). A
 * node that does not answer is a row saying so.
 */
public final class FleetDoctor {
  public static final Duration BOUND = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final ExecutorService LISTING = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "edgeray-fleet-doctor");
    t.setDaemon(true);
    return t;
  });

  /**
   * One node's row.
   *
   * @param answered whether the node sent its report; when not, {@code error} says what happened
   * @param failure the failure class the node saw ({@code CONNECTION_REFUSED}…), or null
   */
  public record Location(String node, String location, String adminUrl, boolean answered, String cause, String verdict,
      String confidence, String failure, Integer code, Integer exitCode, String ray, String error) {

    /** "refused (521)", "answers", "no answer" */
    public String seen() {
      if (!answered) return "no answer";
      if (failure != null) {
        try {
          return SeenFrom.word(OriginFailure.valueOf(failure)) + " (" + code + ")";
        } catch (IllegalArgumentException unknown) {
          return failure;
        }
      }
      return exitCode != null && exitCode == 0 ? "answers" : "fails (" + cause + ")";
    }

    SeenFrom.Sight sight() {
      if (exitCode != null && exitCode == 0) return SeenFrom.Sight.answered(node);
      OriginFailure f = null;
      try {
        f = failure == null ? null : OriginFailure.valueOf(failure);
      } catch (IllegalArgumentException unknown) {
        // a class this node does not know: worded by its cause
      }
      return SeenFrom.Sight.failed(node, f, f == null ? "fails (" + cause + ")" : null);
    }
  }

  /** The whole answer: {@code {host, summary, locations}}. */
  public record Result(String host, String summary, List<Location> locations) {
    /** 0 every location answered and found it healthy, 1 a problem somewhere, 2 no location answered. */
    public int exitCode() {
      if (locations.stream().noneMatch(Location::answered)) return 2;
      return locations.stream().allMatch(l -> l.answered() && l.exitCode() != null && l.exitCode() == 0) ? 0 : 1;
    }

    public String json() {
      try {
        return JSON.writeValueAsString(this) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    public String text() {
      StringBuilder b = new StringBuilder(host).append(" from every location: ").append(summary).append('\n');
      int name = locations.stream().mapToInt(l -> l.node().length()).max().orElse(4);
      int where = locations.stream().mapToInt(l -> String.valueOf(l.location()).length()).max().orElse(4);
      int seen = locations.stream().mapToInt(l -> l.seen().length()).max().orElse(4);
      for (Location l : locations) {
        b.append(String.format("  %-" + name + "s  %-" + where + "s  %-" + seen + "s  ", l.node(), String.valueOf(l.location()), l.seen()));
        b.append(l.answered() ? l.cause() + ": " + l.verdict() + (l.ray() == null ? "" : " (ray " + l.ray() + ")") : l.error());
        b.append('\n');
      }
      return b.toString();
    }
  }

  /** The node list could not be read (etcd away). */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private final FleetNodes nodes;
  private final Supplier<String> secret;
  private final String self;
  private final Function<byte[], CompletionStage<String>> local;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /**
   * @param self this node's name, asked through {@code local} rather than over HTTP; null from the command line
   * @param local this node's own doctor (the JSON report for a body), or null
   */
  FleetDoctor(FleetNodes nodes, Supplier<String> secret, String self, Function<byte[], CompletionStage<String>> local) {
    this.nodes = nodes;
    this.secret = secret;
    this.self = self;
    this.local = local;
  }

  /**
   * For {@code edgeray doctor HOST --fleet}: the node list and the secret from etcd, every node
   * asked over HTTP. Close it after the run.
   */
  public static Standalone standalone(FleetSettings settings) {
    return new Standalone(settings);
  }

  /** A command's own etcd connection and doctor. */
  public static final class Standalone implements AutoCloseable {
    private final Etcd etcd;
    private final FleetDoctor doctor;

    private Standalone(FleetSettings settings) {
      etcd = new Etcd(settings.etcd(), Duration.ofSeconds(5));
      String key = FleetSecret.key(settings.prefix());
      doctor = new FleetDoctor(new FleetNodes(etcd, settings.prefix(), Clock.systemUTC()), () -> {
        try {
          Etcd.Entry e = etcd.get(key);
          if (e.value() == null) throw new Unavailable("no fleet secret at " + key + " yet: a node creates it when it starts");
          return e.value();
        } catch (Etcd.Unreachable u) {
          throw new Unavailable(u.getMessage());
        }
      }, null, null);
    }

    public FleetDoctor doctor() {
      return doctor;
    }

    @Override
    public void close() {
      etcd.close();
    }
  }

  /**
   * Asks every node. Bad input for this node's own doctor (no host, a host it does not serve)
   * throws at once, as the plain doctor does; a list etcd cannot give fails the future with
   * {@link Unavailable}.
   */
  public CompletableFuture<Result> run(String host) {
    byte[] body = ("{\"host\":" + quoted(host) + ",\"fleet\":false}").getBytes(StandardCharsets.UTF_8);
    CompletionStage<String> mine = local == null ? null : local.apply(body);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return nodes.list().nodes();
      } catch (FleetNodes.Unavailable e) {
        throw new Unavailable("the node list lives on etcd, which does not answer: " + e.getMessage());
      }
    }, LISTING).thenCompose(rows -> {
      String credential = secret.get();
      List<FleetNodes.Row> asked = new ArrayList<>(rows);
      if (self != null && asked.stream().noneMatch(r -> r.name().equals(self))) {
        asked.add(0, new FleetNodes.Row(self, null, null, null, 0, false, null, 0, null, null)); // not registered yet
      }
      List<CompletableFuture<Location>> answers = new ArrayList<>();
      for (FleetNodes.Row r : asked) {
        CompletableFuture<String> report = r.name().equals(self) && mine != null ? mine.toCompletableFuture()
            : ask(r, body, credential);
        answers.add(report.orTimeout(BOUND.toMillis(), TimeUnit.MILLISECONDS)
            .handle((json, error) -> error == null ? row(r, json) : silent(r, error)));
      }
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .thenApply(done -> result(host, answers.stream().map(CompletableFuture::join).toList()));
    });
  }

  private CompletableFuture<String> ask(FleetNodes.Row r, byte[] body, String credential) {
    if (r.adminUrl() == null) return CompletableFuture.failedFuture(new IOException("it has no admin_url"));
    if (credential == null) {
      return CompletableFuture.failedFuture(new IOException("this node does not know the fleet secret yet (etcd has not answered)"));
    }
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(r.adminUrl().replaceAll("/+$", "") + "/api/doctor"))
          .timeout(BOUND)
          .header("Content-Type", "application/json")
          .header("Authorization", FleetSecret.authorization(credential))
          .header(FleetSecret.NODE_HEADER, self == null ? "cli" : self)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new IOException("its admin_url " + r.adminUrl() + " is not a URL"));
    }
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(res -> {
      if (res.statusCode() != 200) throw new CompletionException(new IOException("answered " + res.statusCode() + ": " + message(res.body())));
      return res.body();
    });
  }

  private static Location row(FleetNodes.Row r, String json) {
    try {
      JsonNode n = JSON.readTree(json);
      JsonNode v = n.path("verdict");
      JsonNode rays = n.path("rays");
      return new Location(r.name(), r.location(), r.adminUrl(), true, text(v, "cause"), text(v, "verdict"), text(v, "confidence"),
          text(n, "failure"), n.path("code").isInt() ? n.get("code").asInt() : null,
          n.path("exit_code").isInt() ? n.get("exit_code").asInt() : null, rays.isArray() && rays.size() > 0 ? rays.get(0).asText() : null,
          null);
    } catch (IOException e) {
      return silent(r, new IOException("its answer is not a doctor's report"));
    }
  }

  private static Location silent(FleetNodes.Row r, Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String why = e instanceof java.util.concurrent.TimeoutException || e instanceof java.net.http.HttpTimeoutException
        ? "no answer within " + BOUND.toSeconds() + " s"
        : e instanceof java.net.ConnectException ? "its admin API at " + r.adminUrl() + " refused the connection"
        : String.valueOf(e.getMessage());
    return new Location(r.name(), r.location(), r.adminUrl(), false, null, null, null, null, null, null, null, why);
  }

  static Result result(String host, List<Location> rows) {
    List<SeenFrom.Sight> sights = rows.stream().filter(Location::answered).map(Location::sight).toList();
    List<String> silent = rows.stream().filter(l -> !l.answered()).map(Location::node).toList();
    String summary = sights.isEmpty() ? "no location answered" : SeenFrom.summary(sights);
    if (!silent.isEmpty() && !sights.isEmpty()) summary += "; no answer from " + String.join(", ", silent);
    return new Result(host, summary, rows);
  }

  private static String text(JsonNode n, String field) {
    return n.path(field).isTextual() ? n.get(field).asText() : null;
  }

  private static String message(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n.path("error").path("message").isTextual()) return n.get("error").get("message").asText();
    } catch (IOException notJson) {
      // said as it came
    }
    return body.length() > 200 ? body.substring(0, 200) + "…" : body;
  }

  private static String quoted(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
