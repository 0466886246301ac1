package io.edgeray.pool;

import io.edgeray.upstream.ConnectionLimit;
import io.edgeray.upstream.Peer;
import java.net.InetSocketAddress;

/** A pool origin as one try of a ray sees it; port 0 in the config means the zone's origin port. */
record PoolPeer(OriginState state, InetSocketAddress address) implements Peer {
  PoolPeer(OriginState state, int defaultPort) {
    this(state, new InetSocketAddress(state.origin().address(),
        state.origin().port() == 0 ? defaultPort : state.origin().port()));
  }

  @Override
  public String id() {
    return state.id();
  }

  @Override
  public String name() {
    return state.origin().name() + " of pool " + state.pool();
  }

  @Override
  public ConnectionLimit limit() {
    return state.connections();
  }

  @Override
  public void requestStarted() {
    state.requestStarted();
  }

  @Override
  public void requestEnded() {
    state.requestEnded();
  }
}
