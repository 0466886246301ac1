package io.edgeray.phase;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.OriginFailure;
import io.edgeray.upstream.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The origins one ray may try, in order; the upstream-peer phase's answer. One per ray, used from
 * the ray's event loop only.
 */
public interface Peers {
  /** The next origin to try, or null when none is left. */
  Peer next();

  /** Whether {@link #next()} would give another origin. */
  boolean anyLeft();

  /** Whether a request that reached an origin may be tried on another (a pool's retry option). */
  default boolean retriesSentRequests() {
    return false;
  }

  /** The connection to {@code peer} was made (TCP and TLS). */
  default void connected(Peer peer) {}

  /** No connection to {@code peer} could be made; counts toward a pool origin's passive ejection. */
  default void connectFailed(Peer peer) {}

  /** What the ray answers when there was nothing to try at all. */
  Decision nothingToTry(String host);

  /** The addresses of a host's records, each tried once in order. */
  static Peers addresses(List<InetAddress> addresses, int port) {
    return new Peers() {
      private int next;

      @Override
      public Peer next() {
        return next < addresses.size() ? Peer.of(new InetSocketAddress(addresses.get(next++), port)) : null;
      }

      @Override
      public boolean anyLeft() {
        return next < addresses.size();
      }

      @Override
      public Decision nothingToTry(String host) {
        return new Decision.Fail(new ClassifiedFailure(OriginFailure.DNS_ERROR, host + " has no origin address"));
      }
    };
  }
}
