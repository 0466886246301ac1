package io.edgeray.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.EdgeNode;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.testing.AccessLogFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An edge node started in-process on 127.0.0.1 from YAML, with a raw HTTP/1.1 client and its access log. */
final class Edge implements AutoCloseable {
  final EdgeNode node;
  final Path log;

  private Edge(EdgeNode node, Path log) {
    this.node = node;
    this.log = log;
  }

  /** @param zones the YAML of the zones list, each line indented by two spaces */
  static Edge start(Path dir, String extra, String zones) throws Exception {
    Path log = dir.resolve("access.jsonl");
    String yaml = "node: T1\nlisten: { http: 127.0.0.1:0 }\naccess_log: " + log + "\n" + extra + "zones:\n" + zones;
    Path file = dir.resolve("edge.yaml");
    Files.writeString(file, yaml);
    return new Edge(EdgeNode.start(ConfigLoader.load(file), file), log);
  }

  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Sends raw request bytes with Connection: close and reads the whole answer. */
  Response raw(String request) throws IOException {
    return parse(rawText(request));
  }

  /** Sends raw request bytes and returns every byte of the answer until the edge closes, interim answers included. */
  String rawText(String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(node.httpAddress(), 2000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  Response get(String host, String path, String... headerLines) throws IOException {
    StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
    for (String h : headerLines) b.append(h).append("\r\n");
    return raw(b.append("\r\n").toString());
  }

  static Response parse(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) throw new AssertionError("no complete response head in: " + text);
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
          (a, c) -> a + ", " + c);
    }
    return new Response(status, headers, text.substring(end + 4));
  }

  /** The access-log line of a ray, waiting up to 5 s for the log writer. */
  JsonNode logLine(String ray) throws Exception {
    return AccessLogFile.lineOf(log, ray);
  }

  InetSocketAddress address() {
    return node.httpAddress();
  }

  @Override
  public void close() {
    node.close();
  }
}
