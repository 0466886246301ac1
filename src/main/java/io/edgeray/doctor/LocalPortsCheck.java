package io.edgeray.doctor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * On the origin host: is anything listening on the web ports, and on which addresses. A listener
 * bound only to 127.0.0.1 or ::1 cannot be reached by the edge from outside.
 */
final class LocalPortsCheck {
  static final String ID = "ports";
  static final String TITLE = "Listening sockets on the web ports";

  /** @param byPort the listeners of each port asked about, in the order asked; null when skipped */
  record Result(List<Integer> ports, List<List<ListeningSockets.Listener>> byPort, CheckResult check) {}

  private LocalPortsCheck() {}

  static Result run(List<Integer> ports, Path procNet) {
    if (!ListeningSockets.available(procNet)) {
      return new Result(ports, null, CheckResult.skipped(ID, TITLE, procNet + "/tcp cannot be read (not Linux?)"));
    }
    List<ListeningSockets.Listener> all;
    try {
      all = ListeningSockets.read(procNet);
    } catch (IOException e) {
      return new Result(ports, null, CheckResult.skipped(ID, TITLE, "cannot read " + procNet + ": " + e.getMessage()));
    }
    List<List<ListeningSockets.Listener>> byPort = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int port : ports) {
      List<ListeningSockets.Listener> on = all.stream().filter(l -> l.port() == port).toList();
      byPort.add(on);
      if (on.isEmpty()) {
        problems.add("nothing listens on port " + port);
      } else if (on.stream().allMatch(l -> l.address().isLoopbackAddress())) {
        problems.add("port " + port + " listens only on loopback " + on.stream().map(ListeningSockets.Listener::where).toList());
      }
      for (ListeningSockets.Listener l : on) {
        evidence.add("listening on " + l.where() + (l.queued() > 0 ? ", " + l.queued() + " connections waiting to be accepted" : ""));
      }
    }
    boolean queued = byPort.stream().flatMap(List::stream).anyMatch(l -> l.queued() > 0);
    Outcome outcome = !problems.isEmpty() ? Outcome.PROBLEM : queued ? Outcome.WARNING : Outcome.PASSED;
    String summary = !problems.isEmpty() ? String.join("; ", problems)
        : "ports " + ports + " listen on a public or wildcard address" + (queued ? "; connections are waiting in an accept queue" : "");
    return new Result(ports, byPort, new CheckResult(ID, TITLE, outcome, summary, evidence, 0));
  }
}
