package io.edgeray.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeray.config.Cidr;
import io.edgeray.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Apache output in a real Apache httpd (Debian's apache2 layout): it loads where its comments
 * say, lets in the edge (from 127.0.0.2) logging the visitor's address, and refuses 127.0.0.3.
 */
class ApacheLoadTest {
  private static final EdgeRanges EDGE = new EdgeRanges(List.of(Cidr.parse("127.0.0.2")));
  private static final Path MODULES = Path.of("/usr/lib/apache2/modules");

  @TempDir Path dir;
  private Path apache;

  @BeforeEach
  void findApache() throws IOException {
    var found = ExternalCommand.find("apache2");
    assumeTrue(found.isPresent() && Files.isDirectory(MODULES), "apache2 is not installed (Debian: apt-get install apache2)");
    apache = found.get();
    // Apache started as root serves as www-data, which must be able to read the document root.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Path writeConfig(int port) throws IOException {
    Files.writeString(dir.resolve("edgeray-remoteip.conf"), AllowlistFormats.apacheRemoteIp(EDGE));
    Files.writeString(dir.resolve("edgeray-allow.conf"), AllowlistFormats.apacheAllowlist(EDGE));
    Files.createDirectories(dir.resolve("www"));
    Files.writeString(dir.resolve("www/index.html"), "hello\n");
    String conf = """
        ServerRoot %1$s
        ServerName localhost
        DefaultRuntimeDir %1$s
        PidFile %1$s/httpd.pid
        ErrorLog %1$s/error.log
        User www-data
        Group www-data
        LoadModule mpm_event_module %3$s/mod_mpm_event.so
        LoadModule authz_core_module %3$s/mod_authz_core.so
        LoadModule authz_host_module %3$s/mod_authz_host.so
        LoadModule remoteip_module %3$s/mod_remoteip.so
        Listen 127.0.0.1:%2$d
        <VirtualHost 127.0.0.1:%2$d>
            DocumentRoot %1$s/www
            CustomLog %1$s/access.log "%%a via %%{c}a %%>s"
            Include %1$s/edgeray-remoteip.conf
            <Location "/">
                Include %1$s/edgeray-allow.conf
            </Location>
        </VirtualHost>
        """.formatted(dir, port, MODULES);
    Path file = dir.resolve("httpd.conf");
    Files.writeString(file, conf);
    return file;
  }

  @Test
  void apacheAcceptsBothPartsWhereTheirCommentsSayTheyGo() throws Exception {
    Path conf = writeConfig(LoopbackHttp.freePort());
    ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(20),
        List.of(apache.toString(), "-t", "-f", conf.toString()));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Syntax OK");
  }

  @Test
  void aRunningApacheLetsTheEdgeInLogsTheVisitorAndRefusesEveryoneElse() throws Exception {
    int port = LoopbackHttp.freePort();
    Path conf = writeConfig(port);
    Process process = new ProcessBuilder(apache.toString(), "-X", "-f", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("apache.out").toFile()).start();
    try {
      LoopbackHttp.awaitListening(port, process, this::logs);
      assertThat(LoopbackHttp.get("127.0.0.2", port, "/index.html")).startsWith("HTTP/1.1 200").endsWith("hello\n");
      assertThat(LoopbackHttp.get("127.0.0.3", port, "/index.html")).startsWith("HTTP/1.1 403");
    } finally {
      LoopbackHttp.stop(process);
    }
    assertThat(Files.readString(dir.resolve("access.log")))
        .contains(LoopbackHttp.VISITOR + " via 127.0.0.2 200")
        .contains("127.0.0.3 via 127.0.0.3 403");
  }

  private String logs() {
    try {
      Path out = dir.resolve("apache.out");
      Path errors = dir.resolve("error.log");
      return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(errors) ? Files.readString(errors) : "");
    } catch (IOException e) {
      return e.toString();
    }
  }
}
