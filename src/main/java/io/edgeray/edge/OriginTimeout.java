package io.edgeray.edge;

import io.edgeray.failure.Stage;
import java.time.Duration;

/**
 * The one timeout a ray has running at a time: what the origin must do next (take the request,
 * send its head, send more of its body), and by when. A ray makes one, at its first timeout, and
 * arms it again for each stage, so a timeout costs no allocation (see {@link LoopTimers}).
 */
final class OriginTimeout extends LoopTimers.Timer {
  private final ProxyFlow flow;
  private final LoopTimers timers;
  private Stage stage;

  OriginTimeout(ProxyFlow flow, LoopTimers timers) {
    this.flow = flow;
    this.timers = timers;
  }

  void arm(Duration after, Stage stage) {
    this.stage = stage;
    timers.arm(this, after);
  }

  void cancel() {
    timers.cancel(this);
  }

  @Override
  void expired() {
    flow.timedOut(stage);
  }
}
