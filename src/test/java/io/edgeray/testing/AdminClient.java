package io.edgeray.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls an edge's admin API over plain HTTP, with a bearer token unless told otherwise:
 * {@code edge.admin().get("/api/pools")}, {@code edge.admin().as(readToken).post("/reload", "")},
 * {@code edge.admin().withoutToken().header("Cookie", c).get("/api/session")}. Each call is one
 * request with a bounded timeout; a client is immutable, each {@code as}/{@code header} makes a new one.
 */
public final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** One answer: its status, headers and body as text. */
  public record Response(int status, HttpHeaders headers, String body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The {@code error.code} of an error answer. */
    public String errorCode() {
      return json().path("error").path("code").asText(null);
    }
  }

  private final InetSocketAddress address;
  private final String token;
  private final Map<String, String> headers;

  AdminClient(InetSocketAddress address, String token, Map<String, String> headers) {
    this.address = address;
    this.token = token;
    this.headers = Map.copyOf(headers);
  }

  /** The same client sending this token instead. */
  public AdminClient as(String token) {
    return new AdminClient(address, token, headers);
  }

  /** The same client sending no Authorization header. */
  public AdminClient withoutToken() {
    return new AdminClient(address, null, headers);
  }

  /** The same client sending one more header on every request. */
  public AdminClient header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new AdminClient(address, token, more);
  }

  public String token() {
    return token;
  }

  public Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  public Response post(String path, String body) throws IOException {
    return send("POST", path, body);
  }

  public Response put(String path, String body) throws IOException {
    return send("PUT", path, body);
  }

  public Response patch(String path, String body) throws IOException {
    return send("PATCH", path, body);
  }

  public Response delete(String path) throws IOException {
    return send("DELETE", path, null);
  }

  /** {@code body} null sends none. */
  public Response send(String method, String path, String body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
