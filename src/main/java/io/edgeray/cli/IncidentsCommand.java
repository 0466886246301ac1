package io.edgeray.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeray incidents}: the running edge's open and recent incidents, from its admin API. */
@Command(name = "incidents", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {
    "Print the running edge's open and recent incidents (GET /api/incidents on its admin listener):",
    "host, since when, the origin failures by code, and the doctor's verdict.",
    "Exit code: 0 no incident open, 1 an incident is open, 2 the edge's admin API could not be asked."})
final class IncidentsCommand implements Callable<Integer> {
  /** Made on first use: picocli makes every command when the command line starts, and a mapper costs Jackson's start. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** The output formats. */
  enum Format { text, json }

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the edge's config, for its admin address (default: ${DEFAULT-VALUE})")
  Path config = ConfigFile.defaultPath();

  @Option(names = "--admin", paramLabel = "HOST:PORT", description = "the admin listener, instead of the config's admin:")
  String admin;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE})")
  Format format = Format.text;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:EDGERAY_TOKEN}",
      description = "an admin API token (default: $EDGERAY_TOKEN)")
  String token;

  @Override
  public Integer call() {
    HostPort at;
    if (admin != null) {
      try {
        at = HostPort.parse(admin);
      } catch (IllegalArgumentException e) {
        System.err.println("edgeray incidents: --admin " + admin + ": " + e.getMessage());
        return 2;
      }
    } else {
      EdgeConfig c;
      try {
        c = ConfigFile.load(config);
      } catch (ConfigFile.Unusable e) {
        return e.exitCode == 0 ? 2 : e.exitCode;
      }
      if (c.adminListen() == null) {
        System.err.println("edgeray incidents: " + config + " has no admin: listener to ask (add admin: 127.0.0.1:9090)");
        return 2;
      }
      at = c.adminListen();
    }
    String host = at.host().equals("0.0.0.0") ? "127.0.0.1" : at.host().equals("::") ? "::1" : at.host();
    URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.port() + "/api/incidents");
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
    if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
    HttpResponse<String> res;
    try {
      res = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.err.println("edgeray incidents: cannot reach the edge's admin API at " + uri + ": " + e + " (is the edge running?)");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    }
    if (res.statusCode() != 200) {
      System.err.println("edgeray incidents: " + uri + " answered " + res.statusCode() + ": " + res.body().strip()
          + (res.statusCode() == 401 ? " (give a token with --token or EDGERAY_TOKEN)" : ""));
      return 2;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(res.body());
    } catch (IOException e) {
      System.err.println("edgeray incidents: " + uri + " answered something that is not JSON: " + e.getMessage());
      return 2;
    }
    System.out.print(format == Format.json ? res.body().strip() + "\n" : text(root));
    System.out.flush();
    return root.path("open").asLong() > 0 ? 1 : 0;
  }

  static String text(JsonNode root) {
    StringBuilder out = new StringBuilder();
    for (String state : new String[] {"open", "closed"}) {
      StringBuilder part = new StringBuilder();
      int n = 0;
      for (JsonNode i : root.path("incidents")) {
        if (!i.path("state").asText().equals(state)) continue;
        n++;
        part.append("  ").append(i.path("id").asText()).append("  ").append(i.path("host").asText())
            .append("  ").append(state.equals("open") ? "since " + i.path("started").asText()
                : i.path("started").asText() + " .. " + i.path("ended").asText())
            .append("\n    ").append(i.path("failures").asLong()).append(" origin failures of ")
            .append(i.path("rays").asLong()).append(" requests (").append(codes(i.path("codes"))).append(")\n    ")
            .append(i.path("cause").isNull() ? "verdict: not yet (the doctor is running, or did not run)"
                : "verdict: " + i.path("verdict").asText() + " [" + i.path("confidence").asText() + " confidence, "
                    + i.path("cause").asText() + "]")
            .append('\n');
      }
      out.append(state.equals("open") ? "OPEN" : "RECENT").append(" (").append(n).append(")\n").append(part);
    }
    return out.toString();
  }

  private static String codes(JsonNode codes) {
    StringBuilder s = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = codes.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (s.length() > 0) s.append(", ");
      s.append(e.getKey()).append(" x").append(e.getValue().asLong());
    }
    return s.toString();
  }
}
