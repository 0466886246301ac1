package io.edgeray.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The edge's admin API over real HTTP on its loopback admin port, for these tests. */
public final class AdminCalls {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminCalls() {}

  public static HttpResponse<String> get(EdgeExtension edge, String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(edge, pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> post(EdgeExtension edge, String path, String json) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(edge, path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static URI uri(EdgeExtension edge, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + edge.node().adminAddress().getPort() + pathAndQuery);
  }
}
