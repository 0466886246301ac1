package io.edgeray.edge;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.failure.Retry;
import io.edgeray.upstream.ConnectionLimit;
import io.edgeray.upstream.OriginConnector;
import io.edgeray.upstream.Peer;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * A new connection for one try, when the pool had none to the origin. An origin at its
 * max_connections gets no new connection at once: the request waits in the origin's queue for one
 * to close, or is refused with 503 when the queue is full or the wait is over. The dial's outcome
 * goes to the ray only while the ray still waits for it, on this origin.
 *
 * <p>One is made per new connection, and it is itself the slot request and the dial's callback,
 * so it costs no more than the one lambda a dial used to make.
 */
final class OriginDial implements ConnectionLimit.SlotRequest, Consumer<OriginConnector.Outcome> {
  private final ProxyFlow flow;
  private final EdgeContext edge;
  private final Exchange ex;
  private final EventLoop loop;
  private final Peer peer;
  /** The request's place in the origin's queue while it waits for a slot, or null. */
  private ConnectionLimit.Waiter queued;

  OriginDial(ProxyFlow flow, EdgeContext edge, Exchange ex, EventLoop loop) {
    this.flow = flow;
    this.edge = edge;
    this.ex = ex;
    this.loop = loop;
    this.peer = ex.peer;
  }

  /** Dials at once, or after a slot of the origin's connection limit. */
  void start(SocketAddress connectionKey) {
    ConnectionLimit limit = peer.limit();
    if (limit == null) {
      open();
      return;
    }
    queued = limit.acquire(loop, peer.name(), this);
    // idle keep-alive connections on other event loops hold slots this request could use
    if (queued != null) edge.pool.closeIdle(connectionKey);
  }

  @Override
  public boolean granted() {
    queued = null;
    if (flow.done()) return false;
    open();
    return true;
  }

  @Override
  public void refused(String why) {
    queued = null;
    flow.refuse(EdgeRefusal.CONNECTION_LIMIT, why);
  }

  /** The ray ended: a place in the queue is given up, so the slot goes to the next in line. */
  void cancel() {
    if (queued != null) peer.limit().cancel(queued);
    queued = null;
  }

  private void open() {
    InetSocketAddress target = peer.address();
    ConnectionLimit limit = peer.limit();
    EdgeContext.Settings settings = edge.settings;
    var dial = new OriginConnector.Dial(target, settings.egress().sourceFor(target), ex.leg, ex.host,
        ex.zone.timeouts().connect(), settings.config().limits().responseHead());
    edge.connector.connect(loop, dial, p -> p.addLast(new OriginHandler()),
        limit == null ? null : limit.releaseOnce(), this);
  }

  @Override
  public void accept(OriginConnector.Outcome outcome) {
    if (flow.done() || peer != ex.peer) {
      if (outcome instanceof OriginConnector.Outcome.Connected c) c.channel().close();
      return;
    }
    if (outcome instanceof OriginConnector.Outcome.Connected c) {
      ex.peers.connected(peer);
      flow.attach(c.channel(), false, c.nanos());
    } else {
      ClassifiedFailure cf = ((OriginConnector.Outcome.Failed) outcome).failure();
      ex.attempt(ProxyFlow.hostPort(peer.address()), peer.id(), cf.failure(), cf.detail(), outcome.nanos(), false);
      if (cf.retry() == Retry.ANOTHER_ORIGIN) ex.peers.connectFailed(peer);
      flow.onTryFailed(cf);
    }
  }
}
