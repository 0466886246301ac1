package io.edgeray.doctor;

import static io.edgeray.doctor.DiagnosisWorld.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.SslMode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis never contradicts its own evidence: over many random worlds (seeded, so a failure
 * repeats), the verdict's premise is never refuted by a check the report shows, and a report with
 * a problem is never called healthy.
 */
class DiagnosisInvariantTest {
  private static final long SEED = 16;
  private static final int WORLDS = 20_000;
  private static final List<InetAddress> ADDRESSES = List.of(ip("127.0.0.6"), ip("127.0.0.7"), DiagnosisWorld.PUBLIC_LOCAL, ip("192.0.2.10"), ip("192.0.2.11"));
  private static final List<InetAddress> SIBLINGS = List.of(ip("127.0.0.9"), ip("192.0.2.20"));

  @Test
  void randomWorldsNeverYieldAVerdictWhosePremiseACheckRefutes() {
    Random random = new Random(SEED);
    Set<Cause> seen = EnumSet.noneOf(Cause.class);
    for (int i = 0; i < WORLDS; i++) {
      DiagnosisWorld w = randomWorld(random);
      Evidence e = w.evidence();
      List<Finding> findings = Diagnosis.diagnose(e);

      assertThat(findings).as("world %d: no finding at all", i).isNotEmpty();
      Finding verdict = findings.get(0);
      seen.add(verdict.cause());
      assertThat(Refutations.of(e, verdict.cause()))
          .as("world %d: verdict %s (%s) is refuted by its own report:%s", i, verdict.cause().id(), verdict.evidence(), Refutations.describe(e))
          .isEmpty();
    }
    // the random worlds reach every verdict the edge-side doctor can give, so the invariant covers them all
    assertThat(seen).containsAll(EnumSet.complementOf(EnumSet.of(Cause.ORIGIN_WAF_BLOCKS_EDGE)));
  }

  @Test
  void aReportWithAProblemIsNeverHealthyAndAHealthyOneHasExitCode0() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < WORLDS / 4; i++) {
      Evidence e = randomWorld(random).evidence();
      List<Finding> findings = Diagnosis.diagnose(e);
      boolean problem = Refutations.checks(e).stream().anyMatch(c -> c.outcome() == Outcome.PROBLEM);
      Report r = new Report("h", "DOC", java.time.Instant.EPOCH, 0, findings, Refutations.checks(e), List.of(), false);
      if (problem) assertThat(r.exitCode()).as("world %d:%s", i, Refutations.describe(e)).isEqualTo(1);
      if (r.healthy()) assertThat(r.exitCode()).isZero();
    }
  }

  static DiagnosisWorld randomWorld(Random random) {
    DiagnosisWorld w = new DiagnosisWorld();
    List<InetAddress> a = new ArrayList<>(ADDRESSES);
    java.util.Collections.shuffle(a, random);
    w.addresses = List.copyOf(a.subList(0, 1 + random.nextInt(2)));
    w.siblings = random.nextInt(3) == 0 ? List.of(SIBLINGS.get(random.nextInt(SIBLINGS.size()))) : List.of();
    w.mode = pick(random, SslMode.values());
    w.visitorHttps = random.nextBoolean();
    w.listeners = pick(random, DiagnosisWorld.Listeners.values());
    w.otherPortListens = random.nextBoolean();
    w.queueFull = random.nextInt(5) == 0;
    w.listenerTableReadable = random.nextInt(8) != 0;
    w.firewall = random.nextInt(3) == 0 ? pick(random, DiagnosisWorld.Firewall.values()) : DiagnosisWorld.Firewall.NONE;
    w.remote = pick(random, DiagnosisWorld.Remote.values());
    w.remoteOtherPortUp = random.nextBoolean();
    w.app = random.nextInt(3) == 0 ? pick(random, DiagnosisWorld.App.values()) : DiagnosisWorld.App.OK;
    w.tls = pick(random, DiagnosisWorld.Tls.values());
    w.edgeRuns = random.nextInt(4) != 0;
    w.egressConfigured = random.nextBoolean();
    w.edgeOnlyTrouble = random.nextInt(6) == 0;
    if (random.nextInt(12) == 0) {
      w.blockedBy = pick(random, new Cause[] {Cause.HOST_NOT_SERVED, Cause.ROUTING_LOOP, Cause.ORIGIN_NAME_UNRESOLVABLE});
    }
    return w;
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
