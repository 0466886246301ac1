package io.edgeray.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.edgeray.testing.Await;
import io.edgeray.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real webhook on loopback: keeps every JSON body posted to it, with the time it arrived. */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Post(long arrivedNanos, String body, JsonNode json) {
    String event() {
      return json.path("event").asText();
    }
  }

  private final HttpServer server;
  final List<Post> posts = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Consumer<Post> onPost = post -> {};

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, 0), 16);
    server.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Post post;
      try {
        post = new Post(System.nanoTime(), body, JSON.readTree(body));
      } catch (IOException e) {
        post = new Post(System.nanoTime(), body, JSON.createObjectNode().put("event", "not json"));
      }
      posts.add(post);
      onPost.accept(post);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }

  /**
   * Runs the receiver in its own JVM, e.g. inside a {@link io.edgeray.testing.NetNamespace} where
   * an edge there can reach it: prints "listening PORT", then each body posted, one per line.
   */
  public static void main(String[] args) throws Exception {
    WebhookReceiver hook = new WebhookReceiver();
    System.out.println("listening " + hook.server.getAddress().getPort());
    hook.onPost = post -> System.out.println(post.json().toString());
    Thread.currentThread().join(); // until the namespace closes and destroys this JVM
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The first post of this event, waiting for it at most {@code timeout}. */
  Post await(String event, Duration timeout) {
    Await.until(timeout, () -> posts.stream().anyMatch(p -> p.event().equals(event)), "a webhook post " + event);
    return posts.stream().filter(p -> p.event().equals(event)).findFirst().orElseThrow();
  }

  List<String> events() {
    return posts.stream().map(Post::event).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
