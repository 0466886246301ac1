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
      onPort = ListeningSockets.read(procNet).stream().filter(l -> l.port() == plan.port()).toList();
    } catch (IOException e) {
      return new Result(local, null, CheckResult.skipped(ID, TITLE, "cannot read " + procNet + ": " + e.getMessage()));
    }
    return judge(plan, local, onPort);
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
