package io.edgeray.edge;

import io.edgeray.phase.Decision;
import io.netty.channel.EventLoop;
import java.util.function.BiConsumer;

/**
 * A phase's decision that comes later, brought back to the ray's event loop: the one object is
 * both the callback of the decision, on whichever thread ends it, and the task it hands to the
 * loop (every collapsed wait on a failing origin makes one). The ray goes on from the phase after
 * the one that decided ({@link ProxyFlow#resume}).
 */
final class LaterDecision implements BiConsumer<Decision, Throwable>, Runnable {
  private final ProxyFlow flow;
  private final EventLoop loop;
  private final Phases.EarlyHook hook;
  private final int nextPhase;
  private Decision decided;
  private Throwable error;

  LaterDecision(ProxyFlow flow, EventLoop loop, Phases.EarlyHook hook, int nextPhase) {
    this.flow = flow;
    this.loop = loop;
    this.hook = hook;
    this.nextPhase = nextPhase;
  }

  @Override
  public void accept(Decision d, Throwable error) {
    this.decided = d;
    this.error = error; // published to the loop by its task queue
    loop.execute(this);
  }

  @Override
  public void run() {
    flow.resume(hook, nextPhase, decided, error);
  }
}
