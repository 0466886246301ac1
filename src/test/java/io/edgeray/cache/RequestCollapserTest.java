package io.edgeray.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestCollapserTest {
  private final CacheFixtures.TestTimer timer = new CacheFixtures.TestTimer();
  private final RequestCollapser<String> collapser = new RequestCollapser<>(timer, Duration.ofSeconds(5), 100, () -> "timeout");

  @Test
  void concurrentCallersForOneKeyGetOneLeaderAndTheRestFollow() throws Exception {
    int n = 16;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier start = new CyclicBarrier(n);
      List<Future<RequestCollapser.Ticket<String>>> tickets = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        tickets.add(pool.submit(() -> {
          start.await();
          return collapser.join("k");
        }));
      }
      List<RequestCollapser.Leader<String>> leaders = new ArrayList<>();
      List<CompletableFuture<String>> followers = new ArrayList<>();
      for (var f : tickets) {
        var t = f.get(10, TimeUnit.SECONDS);
        if (t instanceof RequestCollapser.Leader<String> l) leaders.add(l);
        if (t instanceof RequestCollapser.Follower<String> fo) followers.add(fo.outcome());
      }
      assertThat(leaders).hasSize(1);
      assertThat(followers).hasSize(n - 1).allMatch(f -> !f.isDone());
      leaders.get(0).flight().complete("stored");
      assertThat(followers).allMatch(f -> f.getNow(null).equals("stored"));
      assertThat(collapser.inFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedFetchWakesTheFollowersWithTheFailure() {
    var leader = (RequestCollapser.Leader<String>) collapser.join("k");
    var follower = (RequestCollapser.Follower<String>) collapser.join("k");
    leader.flight().complete("failed 521");
    assertThat(follower.outcome()).isCompletedWithValue("failed 521");
  }

  @Test
  void aFlightThatEndsCancelsItsTimeoutSoABurstOfMissesHoldsNoTimers() {
    for (int i = 0; i < 1000; i++) {
      var leader = (RequestCollapser.Leader<String>) collapser.join("k" + i);
      assertThat(timer.pending()).isEqualTo(1);
      leader.flight().complete("stored");
      assertThat(timer.pending()).isZero();
    }
  }

  @Test
  void theSystemTimerRunsATaskOnItsOwnThreadAndACancelledOneNever() throws Exception {
    var ran = new CompletableFuture<String>();
    var cancelled = new CompletableFuture<String>();
    RequestCollapser.Timer.system().schedule(Duration.ofMillis(300), () -> cancelled.complete("ran")).run();
    RequestCollapser.Timer.system().schedule(Duration.ofMillis(10), () -> ran.complete(Thread.currentThread().getName()));
    assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("edgeray-cache-timer");
    // the cancelled task was due before this one, so had it run it would have run first
    var after = new CompletableFuture<Void>();
    RequestCollapser.Timer.system().schedule(Duration.ofMillis(400), () -> after.complete(null));
    after.get(10, TimeUnit.SECONDS);
    assertThat(cancelled).isNotDone();
  }

  @Test
  void followersAreReleasedWhenTheLeaderNeverReportsAndTheKeyIsFreeAgain() {
    collapser.join("k");
    var follower = (RequestCollapser.Follower<String>) collapser.join("k");
    timer.advance(Duration.ofSeconds(4));
    assertThat(follower.outcome()).isNotDone();
    timer.advance(Duration.ofSeconds(1));
    assertThat(follower.outcome()).isCompletedWithValue("timeout");
    assertThat(collapser.join("k")).isInstanceOf(RequestCollapser.Leader.class);
  }

  @Test
  void aLateCompletionAfterTheTimeoutDoesNotEndTheNextFlight() {
    var first = (RequestCollapser.Leader<String>) collapser.join("k");
    timer.advance(Duration.ofSeconds(5));
    var second = (RequestCollapser.Leader<String>) collapser.join("k");
    var follower = (RequestCollapser.Follower<String>) collapser.join("k");
    first.flight().complete("late");
    assertThat(follower.outcome()).isNotDone();
    second.flight().complete("stored");
    assertThat(follower.outcome()).isCompletedWithValue("stored");
  }

  @Test
  void beyondTheFollowerLimitCallersGoAlone() {
    var small = new RequestCollapser<String>(timer, Duration.ofSeconds(5), 1, () -> "timeout");
    small.join("k");
    assertThat(small.join("k")).isInstanceOf(RequestCollapser.Follower.class);
    assertThat(small.join("k")).isInstanceOf(RequestCollapser.Alone.class);
  }

  @Test
  void differentKeysDoNotWaitForEachOther() {
    assertThat(collapser.join("a")).isInstanceOf(RequestCollapser.Leader.class);
    assertThat(collapser.join("b")).isInstanceOf(RequestCollapser.Leader.class);
  }
}
