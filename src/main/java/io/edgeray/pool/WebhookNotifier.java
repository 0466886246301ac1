package io.edgeray.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each state change as JSON to a pool's webhook. Sending is asynchronous (the JDK client's
 * own threads), so a slow or dead receiver never holds up traffic or health checks; a failed post
 * (no connection, or a status other than 2xx) is tried again after 1 s, 2 s, 4 s... up to
 * {@link #ATTEMPTS} times, then dropped with a log line. Incidents post through it too.
 */
public final class WebhookNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int ATTEMPTS = 6;

  /**
   * Made at the first post: building one initialises the JDK's TLS (its whole trust store, some
   * 140 certificates parsed) and starts a selector thread, a tenth of a second of the edge's
   * start on one core, for webhooks most edges never send.
   */
  private HttpClient client;
  private final Duration firstBackoff;

  public WebhookNotifier(Duration firstBackoff) {
    this.firstBackoff = firstBackoff;
  }

  /** Posts a pool's or origin's state change. */
  void send(URI url, StateChange change) {
    ObjectNode body = JSON.createObjectNode()
        .put("pool", change.pool())
        .put("origin", change.origin())
        .put("old_state", change.oldState())
        .put("new_state", change.newState())
        .put("reason", change.reason())
        .put("failure", change.failure() == null ? null : change.failure().name())
        .put("code", change.failure() == null ? null : change.failure().code())
        .put("time", change.time().toString());
    post(url, body.toString());
  }

  /** Posts {@code json}, retried as a state change is. */
  public void post(URI url, String json) {
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("User-Agent", "edgeray-notifier")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    attempt(request, 1);
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    }
    return client;
  }

  private void attempt(HttpRequest request, int n) {
    client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((res, error) -> {
      if (error == null && res.statusCode() / 100 == 2) return;
      String why = error != null ? String.valueOf(error.getMessage()) : "status " + res.statusCode();
      if (n >= ATTEMPTS) {
        LOG.warn("webhook {}: giving up after {} attempts ({})", request.uri(), n, why);
        return;
      }
      long delay = firstBackoff.toMillis() << (n - 1);
      LOG.info("webhook {}: attempt {} failed ({}), next in {} ms", request.uri(), n, why, delay);
      CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> attempt(request, n + 1));
    });
  }
}
