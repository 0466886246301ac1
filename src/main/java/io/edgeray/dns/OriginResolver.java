package io.edgeray.dns;

import io.edgeray.config.HostPort;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves the names that proxied CNAME records point at. Never blocks the caller: the result
 * arrives on a resolver thread and the edge hops back to its event loop.
 */
public interface OriginResolver extends AutoCloseable {

  /** Completes with at least one address, or exceptionally with an {@link java.net.UnknownHostException}. */
  CompletableFuture<List<InetAddress>> resolve(String name);

  @Override
  default void close() {}

  static OriginResolver of(List<HostPort> servers) {
    return servers.isEmpty() ? new SystemResolver() : new DnsServerResolver(servers);
  }
}
