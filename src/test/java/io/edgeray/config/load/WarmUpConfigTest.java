package io.edgeray.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import io.edgeray.config.WarmUpSetting;
import org.junit.jupiter.api.Test;

/** The optional top-level {@code warm_up:}: on unless the file says otherwise. */
class WarmUpConfigTest {
  private static final String HEAD = """
      node: T1
      listen: { http: 127.0.0.1:0 }
      zones: []
      """;

  private static WarmUpSetting read(String yaml) throws ConfigException {
    return ConfigLoader.parse("edge.yaml", HEAD + yaml).features().get(WarmUpSetting.class, null);
  }

  @Test
  void theWarmUpIsOnWithoutTheKeyAndOffWithWarmUpFalse() throws Exception {
    assertThat(read("").enabled()).isTrue();
    assertThat(read("warm_up: false\n").enabled()).isFalse();
    assertThat(read("warm_up: true\n").enabled()).isTrue();
  }

  @Test
  void aWarmUpThatIsNotABooleanIsAnErrorWithItsLine() {
    assertThatThrownBy(() -> read("warm_up: sometimes\n")).isInstanceOf(ConfigException.class)
        .hasMessage("edge.yaml:4: warm_up: expected true or false, found \"sometimes\"");
  }
}
