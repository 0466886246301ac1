package io.edgeray.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginFailureSlotsTest {
  @Test
  void everyFailureHasASlotForItsStatusAndItsCode() {
    assertThat(OriginFailure.statusSlots()).isEqualTo(8); // 520, 521, 522, 523, 524, 525, 526, 530
    assertThat(OriginFailure.codeSlots()).isEqualTo(8); // the same, with 1016 for 530
    for (OriginFailure f : OriginFailure.values()) {
      assertThat(OriginFailure.statusSlot(f.status())).isBetween(0, OriginFailure.statusSlots() - 1);
      assertThat(OriginFailure.codeAt(OriginFailure.codeSlot(f.code()))).isEqualTo(f.code());
    }
    assertThat(OriginFailure.codeSlot(1016)).isEqualTo(OriginFailure.codeSlots() - 1);
  }

  @Test
  void otherStatusesAndCodesHaveNone() {
    assertThat(OriginFailure.statusSlot(502)).isEqualTo(-1);
    assertThat(OriginFailure.statusSlot(527)).isEqualTo(-1);
    assertThat(OriginFailure.statusSlot(1016)).isEqualTo(-1);
    assertThat(OriginFailure.codeSlot(530)).isEqualTo(-1);
    assertThat(OriginFailure.codeSlot(0)).isEqualTo(-1);
  }
}
