package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One task per loop fires the timers that are due, in deadline order, and never a cancelled one. */
class LoopTimersTest {
  private final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Named extends LoopTimers.Timer {
    final String name;
    final List<String> fired;
    final CountDownLatch done;

    Named(String name, List<String> fired, CountDownLatch done) {
      this.name = name;
      this.fired = fired;
      this.done = done;
    }

    @Override
    void expired() {
      fired.add(name);
      done.countDown();
    }
  }

  @Test
  void timersOfSeveralDurationsFireInDeadlineOrderAndCancelledOnesNever() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(3);
    Named slow = new Named("slow 400 ms", fired, done);
    Named fast = new Named("fast 100 ms", fired, done);
    Named cancelled = new Named("cancelled", fired, done);
    Named rearmed = new Named("re-armed 200 ms", fired, done);
    long t0 = System.nanoTime();

    loop.execute(() -> {
      LoopTimers timers = LoopTimers.of(loop);
      timers.arm(slow, Duration.ofMillis(400));
      timers.arm(cancelled, Duration.ofMillis(50));
      timers.arm(fast, Duration.ofMillis(100));
      timers.arm(rearmed, Duration.ofMillis(100));
      timers.arm(rearmed, Duration.ofMillis(200)); // starts over with the new duration
      timers.cancel(cancelled);
      assertThat(cancelled.armed()).isFalse();
    });

    assertThat(done.await(10, TimeUnit.SECONDS)).as("all three fired").isTrue();
    assertThat(fired).containsExactly("fast 100 ms", "re-armed 200 ms", "slow 400 ms");
    assertThat(System.nanoTime() - t0).as("the last one not before its deadline").isGreaterThanOrEqualTo(400_000_000L);
    CountDownLatch after = new CountDownLatch(1);
    loop.execute(after::countDown);
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(fired).doesNotContain("cancelled").hasSize(3);
    assertThat(slow.armed()).isFalse();
  }

  @Test
  void aTimerArmedByAnExpiringOneIsFiredInItsTurn() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);
    Named second = new Named("second", fired, done);
    LoopTimers.Timer first = new LoopTimers.Timer() {
      @Override
      void expired() {
        fired.add("first");
        LoopTimers.of(loop).arm(second, Duration.ofMillis(50));
        done.countDown();
      }
    };

    loop.execute(() -> LoopTimers.of(loop).arm(first, Duration.ofMillis(50)));

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(fired).containsExactly("first", "second");
  }
}
