package io.edgeray.upstream;

import java.net.InetSocketAddress;

/**
 * One origin a ray may try: its address, and for a pool origin its name and the live state the
 * engine reports to (connection slots, requests in flight).
 */
public interface Peer {
  InetSocketAddress address();

  /** {@code pool.origin} for a pool origin, so the log names what the owner configured; else null. */
  default String id() {
    return null;
  }

  /** How refusals name it ("a of pool web"). */
  default String name() {
    return address().toString();
  }

  /** The origin's max_connections, or null when it has none. */
  default ConnectionLimit limit() {
    return null;
  }

  default void requestStarted() {}

  default void requestEnded() {}

  /** A plain address from a DNS record: no pool, no limits. */
  static Peer of(InetSocketAddress address) {
    return new AddressPeer(address);
  }

  record AddressPeer(InetSocketAddress address) implements Peer {}
}
