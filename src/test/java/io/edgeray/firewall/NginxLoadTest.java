package io.edgeray.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeray.config.Cidr;
import io.edgeray.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx output in a real nginx: {@code nginx -t} accepts it where its comments say it goes,
 * and a running nginx on 127.0.0.1 lets in the edge (connecting from 127.0.0.2) with the visitor's
 * address taken from Edge-Connecting-IP, and refuses a client connecting from 127.0.0.3.
 */
class NginxLoadTest {
  private static final EdgeRanges EDGE = new EdgeRanges(List.of(Cidr.parse("127.0.0.2")));

  @TempDir Path dir;
  private Path nginx;

  @BeforeEach
  void findNginx() {
    var found = ExternalCommand.find("nginx");
    assumeTrue(found.isPresent(), "nginx is not installed (Debian: apt-get install nginx-light)");
    nginx = found.get();
  }

  /** A whole nginx.conf around the two parts, each included where its comment says. */
  private Path writeConfig(int port) throws IOException {
    Files.writeString(dir.resolve("edgeray-realip.conf"), AllowlistFormats.nginxRealIp(EDGE));
    Files.writeString(dir.resolve("edgeray-allow.conf"), AllowlistFormats.nginxAllowlist(EDGE));
    String d = dir.toString();
    String conf = """
        daemon off;
        master_process off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path %1$s/body;
            proxy_temp_path %1$s/proxy;
            fastcgi_temp_path %1$s/fastcgi;
            uwsgi_temp_path %1$s/uwsgi;
            scgi_temp_path %1$s/scgi;
            include %1$s/edgeray-realip.conf;
            server {
                listen 127.0.0.1:%2$d;
                include %1$s/edgeray-allow.conf;
                location / { return 200 "visitor $remote_addr\\n"; }
            }
        }
        """.formatted(d, port);
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    return file;
  }

  @Test
  void nginxAcceptsBothPartsWhereTheirCommentsSayTheyGo() throws Exception {
    Path conf = writeConfig(LoopbackHttp.freePort());
    ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(20),
        List.of(nginx.toString(), "-t", "-p", dir.toString(), "-c", conf.toString()));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("test is successful");
  }

  @Test
  void aRunningNginxLetsTheEdgeInWithTheVisitorsAddressAndRefusesEveryoneElse() throws Exception {
    int port = LoopbackHttp.freePort();
    Path conf = writeConfig(port);
    Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    try {
      LoopbackHttp.awaitListening(port, process, this::logs);
      assertThat(LoopbackHttp.get("127.0.0.2", port, "/")).startsWith("HTTP/1.1 200")
          .endsWith("visitor " + LoopbackHttp.VISITOR + "\n");
      assertThat(LoopbackHttp.get("127.0.0.3", port, "/")).startsWith("HTTP/1.1 403");
    } finally {
      LoopbackHttp.stop(process);
    }
  }

  private String logs() {
    try {
      Path out = dir.resolve("nginx.out");
      Path errors = dir.resolve("error.log");
      return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(errors) ? Files.readString(errors) : "");
    } catch (IOException e) {
      return e.toString();
    }
  }
}
