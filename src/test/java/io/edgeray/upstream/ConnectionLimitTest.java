package io.edgeray.upstream;

import io.edgeray.config.OverloadLimit;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot count of max_connections: a freed slot goes to the oldest waiter that still waits. */
class ConnectionLimitTest {
  private final ConnectionLimit limit = new ConnectionLimit(new OverloadLimit(1, 2, Duration.ofSeconds(1)));
  private final List<String> granted = new ArrayList<>();

  @Test
  void aFreedSlotGoesToTheOldestWaiterAndTheCountNeverPassesTheLimit() {
    assertThat(limit.admit(waiter("holder"))).isEqualTo(ConnectionLimit.Admission.GRANTED);
    ConnectionLimit.Waiter first = waiter("first");
    ConnectionLimit.Waiter second = waiter("second");
    assertThat(limit.admit(first)).as("the one slot is taken").isEqualTo(ConnectionLimit.Admission.QUEUED);
    assertThat(limit.admit(second)).isEqualTo(ConnectionLimit.Admission.QUEUED);
    assertThat(limit.admit(waiter("third"))).as("the queue holds 2").isEqualTo(ConnectionLimit.Admission.FULL);
    limit.release();
    assertThat(granted).containsExactly("first");
    assertThat(limit.open()).isEqualTo(1);
    assertThat(limit.cancel(first)).as("already granted").isFalse();
    assertThat(limit.cancel(second)).isTrue();
    limit.release();
    assertThat(granted).containsExactly("first");
    assertThat(limit.open()).isZero();
  }

  private ConnectionLimit.Waiter waiter(String name) {
    return new ConnectionLimit.Waiter(() -> granted.add(name));
  }

  @Test
  void aSlotIsGivenBackWhenTheGrantedRequestFailsToUseIt() {
    ConnectionLimit.SlotRequest throwing = new ConnectionLimit.SlotRequest() {
      @Override public boolean granted() {
        throw new IllegalStateException("cannot open a connection");
      }

      @Override public void refused(String why) {}
    };
    try {
      limit.acquire(null, "origin a", throwing);
    } catch (IllegalStateException expected) {
      // the request's own failure; what matters is the slot
    }
    assertThat(limit.open()).as("the slot came back").isZero();
  }
}
