package io.edgeray.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeray.config.CertificateFiles;
import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.HostPort;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.tls.CertificateLoadException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeray purge}: asks the running edge's admin API to drop objects from a zone's cache. */
@Command(name = "purge", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {
    "Purge a zone's cache on the running edge, through its admin API (admin: in the config).",
    "When the command returns, no new request gets a purged object; on a fleet node, on every node that",
    "confirmed it (the line names any that did not within 2 s).",
    "Exit code: 0 purged, 1 the edge refused the purge, 2 the config cannot be read or the admin API cannot be reached."})
final class PurgeCommand implements Callable<Integer> {
  /** Made on first use: picocli makes every command when the command line starts, and a mapper costs Jackson's start. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  @Parameters(index = "0", paramLabel = "ZONE", description = "the zone, e.g. shop.example")
  String zone;

  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--files", arity = "1..*", paramLabel = "URL", description = "whole URLs: http://shop.example/a.css")
    List<String> files;

    @Option(names = "--prefixes", arity = "1..*", paramLabel = "PREFIX", description = "URL prefixes: shop.example/assets/")
    List<String> prefixes;

    @Option(names = "--tags", arity = "1..*", paramLabel = "TAG", description = "tags from the origin's Cache-Tag header")
    List<String> tags;

    @Option(names = "--everything", description = "every object of the zone")
    boolean everything;
  }

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})")
  Path config = ConfigFile.defaultPath();

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:EDGERAY_TOKEN}",
      description = "admin API token with edit scope (default: $EDGERAY_TOKEN, else the edge's own"
          + " state/admin-token beside the config)")
  String token;

  @Option(names = "--cacert", paramLabel = "FILE", description = "for an HTTPS admin listener (admin.tls): PEM file of the CA"
      + " to trust, its certificate valid for the admin address (default: trust exactly the admin.tls certificate of the config)")
  Path cacert;

  @Override
  public Integer call() {
    EdgeConfig c;
    try {
      c = ConfigLoader.loadForDiagnosis(config); // the edge holds its ports: no own-listener check
    } catch (ConfigException e) {
      System.err.println("edgeray purge: " + e.getMessage());
      return e.unreadable() ? ConfigFile.CANNOT_READ : 2;
    }
    HostPort admin = c.adminListen();
    if (admin == null) {
      System.err.println("edgeray purge: " + config.toAbsolutePath().normalize() + " has no admin: listener, so there is no"
          + " API to purge through; add for example\n    admin: 127.0.0.1:9090\nand restart the edge");
      return 2;
    }
    CertificateFiles tls = c.admin().tls();
    if (tls == null && cacert != null) {
      System.err.println("edgeray purge: --cacert is for an HTTPS admin listener, and the one in "
          + config.toAbsolutePath().normalize() + " speaks plain HTTP (no admin.tls)");
      return 2;
    }
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      try {
        client.sslContext(cacert != null ? AdminTrust.authorities(cacert) : AdminTrust.pinned(tls.cert()));
      } catch (CertificateLoadException e) {
        System.err.println("edgeray purge: " + e.getMessage());
        return 2;
      }
    }
    URI uri = URI.create((tls == null ? "http://" : "https://") + reachable(admin) + "/api/zones/" + zone + "/purge");
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body().toString()));
    String bearer = token != null && !token.isBlank() ? token.trim() : localToken();
    if (bearer != null) req.header("Authorization", "Bearer " + bearer);
    HttpResponse<String> answer;
    try {
      answer = client.build().send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (SSLException e) {
      System.err.println("edgeray purge: the admin API at " + uri + " is not trusted: " + e.getMessage()
          + (cacert != null ? " (checked against " + cacert + ")" : " (checked against admin.tls.cert " + tls.cert() + ")"));
      return 2;
    } catch (IOException e) {
      System.err.println("edgeray purge: cannot reach the admin API at " + uri + ": " + e + " (is the edge running?)");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    }
    if (answer.statusCode() == 200) {
      System.out.println(purged(answer.body()));
      return 0;
    }
    System.err.println("edgeray purge: the edge answered " + answer.statusCode() + ": " + answer.body().strip());
    return 1;
  }

  private ObjectNode body() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    if (what.files != null) what.files.forEach(o.putArray("files")::add);
    if (what.prefixes != null) what.prefixes.forEach(o.putArray("prefixes")::add);
    if (what.tags != null) what.tags.forEach(o.putArray("tags")::add);
    if (what.everything) o.put("everything", true);
    return o;
  }

  private String purged(String json) {
    try {
      var n = Json.MAPPER.readTree(json);
      String line = "purged " + n.path("purged").asLong() + " object(s) from " + n.path("zone").asText(zone);
      if (!n.has("confirmed")) return line;
      List<String> confirmed = new java.util.ArrayList<>();
      List<String> unconfirmed = new java.util.ArrayList<>();
      n.path("confirmed").forEach(c -> confirmed.add(c.asText()));
      n.path("unconfirmed").forEach(c -> unconfirmed.add(c.asText()));
      return line + " on this node; applied by " + String.join(", ", confirmed)
          + (unconfirmed.isEmpty() ? " (every node of the fleet)" : "; NOT confirmed within 2 s by " + String.join(", ", unconfirmed));
    } catch (IOException e) {
      return json.strip();
    }
  }

  /** The token the edge made for itself when its config has none (state/admin-token), or null. */
  private String localToken() {
    Path file = io.edgeray.admin.LocalToken.fileFor(config.toAbsolutePath());
    try {
      return java.nio.file.Files.isReadable(file) ? java.nio.file.Files.readString(file).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A wildcard admin listener is reached on loopback. */
  private static String reachable(HostPort admin) {
    String host = admin.host();
    if (host.equals("0.0.0.0") || host.isEmpty()) host = "127.0.0.1";
    if (host.equals("::")) host = "::1";
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + admin.port();
  }
}
