package io.edgeray.edge;

import io.edgeray.tls.VisitorTlsInitializer;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.time.Duration;

/**
 * The idle timeout of one visitor connection ({@code limits.visitor_idle}) as a node of its event
 * loop's {@link LoopTimers}, in place of a Netty {@code IdleStateHandler} per connection: that one
 * cost a pipeline context, a task in the loop's scheduled queue, and a listener and two clock
 * reads on every write. Here the connection's handler restarts the timer only where idleness
 * begins (the last write of a response completes, a read leaves no request in progress) and stops
 * it where it ends (a request starts, the connection closes or becomes a tunnel), so one ray costs
 * an unlink and an append. (A subclass rather than a Runnable to call: one object less per
 * connection.) Used from the connection's event loop only.
 */
abstract class VisitorIdle extends LoopTimers.Timer implements VisitorTlsInitializer.IdleTimeout, ChannelFutureListener {
  private final EdgeContext edge;
  private final LoopTimers timers;

  /** Armed for the doze: the rest of the timeout comes after it. */
  private boolean dozing;

  /** Its subclass says in {@link #timedOut} what idleness does to the connection (on {@code loop}). */
  VisitorIdle(EdgeContext edge, EventLoop loop) {
    this.edge = edge;
    this.timers = LoopTimers.of(loop);
  }

  /**
   * Starts the timeout over, with the visitor_idle of the config in force now; when the subclass
   * dozes and the timeout is at least twice the doze, the doze comes first. Called for every
   * response on a keep-alive connection: it allocates nothing.
   */
  @Override
  public void restart() {
    Duration timeout = timeout();
    Duration doze = dozeAfter();
    dozing = doze != null && timeout.toNanos() >= 2 * doze.toNanos();
    timers.arm(this, dozing ? doze : timeout);
  }

  /** Starts the timer over with {@code after} in place of visitor_idle, without a doze (a closing connection's linger). */
  void restart(Duration after) {
    dozing = false;
    timers.arm(this, after);
  }

  @Override
  final void expired() {
    if (!dozing) {
      timedOut();
      return;
    }
    dozing = false;
    doze();
    timers.arm(this, timeout().minus(dozeAfter()));
  }

  private Duration timeout() {
    return edge.settings.config().limits().visitorIdle();
  }

  /** The connection has been idle for the whole timeout. */
  abstract void timedOut();

  /** How long an idle connection waits before it {@link #doze}s (a constant); null: never. */
  Duration dozeAfter() {
    return null;
  }

  /** Idle for {@link #dozeAfter}, the timeout still running: the connection may shed what it keeps for its next request. */
  void doze() {}

  @Override
  public void stop() {
    timers.cancel(this);
  }

  /** Restarts once {@code write} is out: a connection still writing is not idle. */
  void restartAfter(ChannelFuture write) {
    if (write.isDone()) operationComplete(write); else write.addListener(this);
  }

  @Override
  public void operationComplete(ChannelFuture write) {
    if (write.channel().isActive()) restart();
  }
}
