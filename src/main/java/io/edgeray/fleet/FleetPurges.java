package io.edgeray.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A purge made on one node, applied on every node: the node that takes it purges its own cache,
 * writes it as {@code PREFIX/purges/ID} (zone, purge body, its name) under a short lease, and waits
 * for the other registered nodes' acknowledgements {@code PREFIX/purges/ID/acks/NODE}, which each
 * writes once its own cache no longer has the objects. The caller learns which nodes confirmed in
 * time and which did not (stopped, cut off from etcd, slow), rather than a promise nobody checked.
 *
 * <p>Every node watches {@code PREFIX/purges/} on the config watch's stream; back from an outage
 * it lists the prefix and applies the purges it has not acknowledged yet, so a purge made while it
 * was away still reaches it while the lease lasts.
 */
final class FleetPurges {
  private static final Logger LOG = LoggerFactory.getLogger(FleetPurges.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a purge and its acknowledgements stay on etcd: long enough for a node that was briefly away. */
  static final Duration KEPT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 20;
  private static final int REMEMBERED = 1000;

  /** Which registered nodes acknowledged the purge in time (this node among them) and which did not. */
  record Outcome(List<String> confirmed, List<String> unconfirmed) {}

  private final Etcd etcd;
  private final String prefix;
  private final String nodes;
  private final String node;
  private final PurgeApplier applier;
  /** Ids applied here, newest last: a purge seen again (watch and catch-up both) is applied once. */
  private final Set<String> applied = new LinkedHashSet<>();

  FleetPurges(Etcd etcd, String fleetPrefix, String node, PurgeApplier applier) {
    this.etcd = etcd;
    this.prefix = fleetPrefix + "/purges/";
    this.nodes = fleetPrefix + "/nodes/";
    this.node = node;
    this.applier = applier;
  }

  String prefix() {
    return prefix;
  }

  /**
   * Tells the fleet about a purge this node has already applied, and waits up to {@code within}
   * for every registered node to acknowledge it. Blocking: call it off any event loop.
   */
  Outcome publish(String zone, String purgeJson, Duration within) throws Etcd.Unreachable {
    String id = Long.toString(System.currentTimeMillis(), 36) + "-" + UUID.randomUUID().toString().substring(0, 8);
    long lease = etcd.grantLease(KEPT);
    ObjectNode value = JSON.createObjectNode().put("zone", zone).put("purge", purgeJson).put("from", node).put("lease", lease);
    synchronized (applied) {
      remember(id);
    }
    etcd.put(prefix + id, value.toString(), lease);
    etcd.put(ack(id, node), "", lease);
    Set<String> registered = new LinkedHashSet<>();
    registered.add(node);
    for (Etcd.Entry e : etcd.list(nodes)) registered.add(e.key().substring(nodes.length()));
    long end = System.nanoTime() + within.toNanos();
    Set<String> acked = acks(id);
    while (!acked.containsAll(registered) && System.nanoTime() < end) {
      try {
        Thread.sleep(POLL_MILLIS); // acknowledgements are polled: one range a few times over a second or two
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      acked = acks(id);
    }
    List<String> confirmed = new ArrayList<>();
    List<String> unconfirmed = new ArrayList<>();
    for (String n : registered) (acked.contains(n) ? confirmed : unconfirmed).add(n);
    if (!unconfirmed.isEmpty()) {
      LOG.warn("purge {} of {}: not confirmed within {} ms by {}", id, zone, within.toMillis(), unconfirmed);
    }
    return new Outcome(confirmed, unconfirmed);
  }

  private Set<String> acks(String id) throws Etcd.Unreachable {
    Set<String> names = new LinkedHashSet<>();
    String under = prefix + id + "/acks/";
    for (Etcd.Entry e : etcd.list(under)) names.add(e.key().substring(under.length()));
    return names;
  }

  private String ack(String id, String who) {
    return prefix + id + "/acks/" + who;
  }

  /** A key under the prefix, from the watch: a purge to apply here, or an acknowledgement to ignore. On the fleet thread. */
  void received(Etcd.Entry e) {
    String id = e.key().substring(prefix.length());
    if (id.contains("/") || e.value() == null || e.value().isEmpty()) return;
    JsonNode v;
    try {
      v = JSON.readTree(e.value());
    } catch (IOException notOurs) {
      return;
    }
    if (node.equals(v.path("from").asText())) return;
    synchronized (applied) {
      if (applied.contains(id)) return;
    }
    try {
      applier.apply(v.path("zone").asText(), v.path("purge").asText());
    } catch (Exception problem) {
      LOG.warn("purge {} from {} of {} not applied here: {}", id, v.path("from").asText(), v.path("zone").asText(), problem.toString());
      return;
    }
    synchronized (applied) {
      remember(id);
    }
    try {
      etcd.put(ack(id, node), "", v.path("lease").asLong());
    } catch (Etcd.Unreachable ex) {
      LOG.warn("purge {} applied here, but the acknowledgement did not reach etcd: {}", id, ex.getMessage());
    }
  }

  /** After (re)connecting: the purges still on etcd that this node has not acknowledged. On the fleet thread. */
  void catchUp() throws Etcd.Unreachable {
    Map<String, Etcd.Entry> purges = new LinkedHashMap<>();
    Set<String> mine = new LinkedHashSet<>();
    String ackSuffix = "/acks/" + node;
    for (Etcd.Entry e : etcd.list(prefix)) {
      String rest = e.key().substring(prefix.length());
      if (!rest.contains("/")) purges.put(rest, e);
      else if (rest.endsWith(ackSuffix)) mine.add(rest.substring(0, rest.length() - ackSuffix.length()));
    }
    for (Map.Entry<String, Etcd.Entry> p : purges.entrySet()) {
      if (!mine.contains(p.getKey())) received(p.getValue());
    }
  }

  private void remember(String id) {
    applied.add(id);
    if (applied.size() > REMEMBERED) applied.remove(applied.iterator().next());
  }
}
