package io.edgeray.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A Redis (Debian's redis-server) on loopback without persistence; {@link #url()} for {@code fleet.redis}. */
public final class RedisProcess extends StoreProcess {
  private RedisProcess() throws IOException {
    super("/usr/bin/redis-server", "redis-server");
  }

  /** Started; skipped (an assumption) where Redis is not installed. */
  public static RedisProcess started() throws IOException {
    RedisProcess r = new RedisProcess();
    r.start();
    return r;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  protected List<String> command() {
    return List.of("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes");
  }

  @Override
  protected boolean ready() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 200);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] b = new byte[7];
      int n = in.readNBytes(b, 0, 7);
      return new String(b, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }
}
