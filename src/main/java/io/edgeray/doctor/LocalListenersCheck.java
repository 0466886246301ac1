package io.edgeray.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * When an origin address belongs to this machine (the edge and the origin share a host, or the
 * doctor runs on the origin), the kernel's listener table says what no remote probe can: nothing
 * listens on the port, it listens only on loopback, or its accept queue is backed up.
 */
final class LocalListenersCheck {
  static final String ID = "listeners";
  static final String TITLE = "Listening sockets on this machine";

  /** @param onPort listeners on the origin port, any address; null when skipped */
  record Result(List<InetAddress> localOrigins, List<ListeningSockets.Listener> onPort, CheckResult check) {
    boolean ran() {
      return onPort != null;
    }
  }

  private LocalListenersCheck() {}

  static Result run(OriginPlan plan, Path procNet) {
    List<InetAddress> local = plan.addresses().stream().filter(RecordsCheck::local).toList();
    if (local.isEmpty()) {
      return new Result(local, null, CheckResult.skipped(ID, TITLE,
          "the origin is another machine: run `edgeray doctor --local` there to see its listeners"));
    }
    if (!ListeningSockets.available(procNet)) {
      return new Result(local, null, CheckResult.skipped(ID, TITLE, procNet + "/tcp cannot be read (not Linux?)"));
    }
    List<ListeningSockets.Listener> onPort;
    try {
      onPort = onPort(plan, procNet);
      if (onPort.stream().anyMatch(l -> l.queued() > 0)) onPort = stillQueued(onPort, plan, procNet);
    } catch (IOException e) {
      return new Result(local, null, CheckResult.skipped(ID, TITLE, "cannot read " + procNet + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(local, null, CheckResult.skipped(ID, TITLE, "interrupted"));
    }
    return judge(plan, local, onPort);
  }

  /**
   * A connection waits in the accept queue for a moment whenever one arrives (the doctor's own
   * probe just made one): only a queue still there a tenth of a second later is backed up. Each
   * listener keeps the smaller of its two counts.
   */
  private static final long SECOND_LOOK_MILLIS = 100;

  private static List<ListeningSockets.Listener> stillQueued(List<ListeningSockets.Listener> first, OriginPlan plan, Path procNet)
      throws IOException, InterruptedException {
    Thread.sleep(SECOND_LOOK_MILLIS);
    List<ListeningSockets.Listener> again = onPort(plan, procNet);
    List<ListeningSockets.Listener> out = new ArrayList<>(first.size());
    for (ListeningSockets.Listener l : first) {
      int later = again.stream().filter(a -> a.address().equals(l.address())).mapToInt(ListeningSockets.Listener::queued)
          .findFirst().orElse(0);
      out.add(new ListeningSockets.Listener(l.address(), l.port(), Math.min(l.queued(), later)));
    }
    return out;
  }

  private static List<ListeningSockets.Listener> onPort(OriginPlan plan, Path procNet) throws IOException {
    return ListeningSockets.read(procNet).stream().filter(l -> l.port() == plan.port()).toList();
  }

  /** The check's outcome from the listeners on the origin port: no I/O. */
  static Result judge(OriginPlan plan, List<InetAddress> local, List<ListeningSockets.Listener> onPort) {
    List<String> evidence = new ArrayList<>();
    for (ListeningSockets.Listener l : onPort) {
      evidence.add("listening on " + l.where() + (l.queued() > 0 ? ", " + l.queued() + " connections waiting to be accepted" : ""));
    }
    Outcome outcome = Outcome.PASSED;
    String summary;
    List<InetAddress> uncovered = local.stream().filter(a -> onPort.stream().noneMatch(l -> l.covers(a))).toList();
    if (onPort.isEmpty()) {
      outcome = Outcome.PROBLEM;
      summary = "nothing listens on port " + plan.port();
    } else if (!uncovered.isEmpty()) {
      outcome = Outcome.PROBLEM;
      summary = "port " + plan.port() + " listens on " + onPort.stream().map(ListeningSockets.Listener::where).toList()
          + ", not on " + uncovered.stream().map(InetAddress::getHostAddress).toList();
    } else if (onPort.stream().anyMatch(l -> l.queued() > 0)) {
      outcome = Outcome.WARNING;
      summary = "port " + plan.port() + " has connections waiting in its accept queue";
    } else {
      summary = "port " + plan.port() + " listens on " + onPort.stream().map(ListeningSockets.Listener::where).toList();
    }
    return new Result(local, onPort, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }
}
