package io.edgeray;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form a DAG with config at the ground floor: each package may use only packages on
 * a lower floor. A new package, or a dependency that points up or sideways, fails here; placing
 * it is a design decision to make on purpose, in {@link #FLOORS}.
 */
class PackageLayersTest {
  /** Bottom first. Packages on one floor do not know each other. */
  private static final List<List<String>> FLOORS = List.of(
      List.of("config"),                                // the config model: records, no behaviour beyond checks
      List.of("failure"),                               // the failure taxonomy and the one classifier
      List.of("observe"),                               // ray records, the access log, metrics
      List.of("tls"),                                   // certificates, TLS contexts, the visitor's TLS and HTTP/2
      List.of("upstream"),                              // the one way to an origin
      List.of("phase"),                                 // the phase hooks and their decisions
      List.of("forwarding", "dns"),                     // forwarding headers; the edge's DNS
      List.of("hardening", "pool", "cache", "security", "firewall", "analytics"), // request hardening; pools; the cache; firewall and rate limits; published ranges (read by the admin API); analytics and the ray index
      List.of("routing", "config.load"),                // records and pools to origins; reading YAML into the model
      List.of("config.edit"),                           // changes made through the API, written into the YAML
      List.of("edge", "doctor", "admin"),               // the engine; the doctor; the admin port
      List.of("dashboard"),                             // the owner's web pages, mounted on the admin port
      List.of(""),                                      // the node that puts it all together
      List.of("cli"));                                  // commands
  private static final Path SOURCES = Path.of("src/main/java/io/edgeray");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.edgeray\\.((?:[a-z][a-z0-9]*\\.)*)[A-Z]");

  @Test
  void everyPackageUsesOnlyPackagesOnLowerFloors() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
      for (String used : e.getValue()) {
        if (floor(used) >= floor(e.getKey())) wrong.add(name(e.getKey()) + " -> " + name(used));
      }
    }
    assertThat(wrong).as("dependencies that point up or sideways").isEmpty();
  }

  @Test
  void everyPackageHasItsFloor() throws IOException {
    List<String> unplaced = dependencies().keySet().stream().filter(p -> floor(p) < 0).map(PackageLayersTest::name).toList();
    assertThat(unplaced).as("packages missing from FLOORS").isEmpty();
  }

  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(f.getParent() == null ? SOURCES : f.getParent()).toString().replace('/', '.');
        Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(f));
        while (m.find()) {
          String dep = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
          if (!dep.equals(pkg)) used.add(dep);
        }
      }
    }
    return uses;
  }

  private static int floor(String pkg) {
    for (int i = 0; i < FLOORS.size(); i++) {
      if (FLOORS.get(i).contains(pkg)) return i;
    }
    return -1;
  }

  private static String name(String pkg) {
    return pkg.isEmpty() ? "io.edgeray" : pkg;
  }
}
