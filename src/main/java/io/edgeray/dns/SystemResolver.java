package io.edgeray.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The operating system's resolver (/etc/hosts, nsswitch, resolv.conf), run on its own threads because it blocks. */
final class SystemResolver implements OriginResolver {
  private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "edgeray-resolver");
    t.setDaemon(true);
    return t;
  });

  @Override
  public CompletableFuture<List<InetAddress>> resolve(String name) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return List.of(InetAddress.getAllByName(name));
      } catch (UnknownHostException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, threads);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
