package io.edgeray.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import io.edgeray.config.IncidentSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The optional {@code incidents:} section: its defaults, its keys, and an error with its line for each mistake. */
class IncidentConfigTest {
  private static final String HEAD = """
      node: T1
      listen: { http: 127.0.0.1:0 }
      zones: []
      """;

  private static IncidentSettings read(String yaml) throws ConfigException {
    return ConfigLoader.parse("edge.yaml", HEAD + yaml).features().get(IncidentSettings.class, null);
  }

  @Test
  void withoutTheSectionTheDefaultsHold() throws Exception {
    assertThat(read("")).isEqualTo(new IncidentSettings(10, 0.05, Duration.ofSeconds(30), Duration.ofMinutes(5), null));
  }

  @Test
  void everyKeyIsRead() throws Exception {
    assertThat(read("incidents: { min_failures: 3, min_share: 0.5%, all_failing_for: 10s, close_after: 2m, notify: https://hooks.example/x }\n"))
        .isEqualTo(new IncidentSettings(3, 0.005, Duration.ofSeconds(10), Duration.ofMinutes(2), URI.create("https://hooks.example/x")));
  }

  @Test
  void mistakesNameTheFileLineAndKey() {
    assertError("incidents:\n  min_share: 5\n", "edge.yaml:5: incidents.min_share: \"5\" is not a share (write it as 5% or 0.5%)");
    assertError("incidents:\n  min_share: 150%\n", "edge.yaml:5: incidents.min_share: 150% is out of range: more than 0% and at most 100%");
    assertError("incidents:\n  min_failures: 0\n", "edge.yaml:5: incidents.min_failures: 0 is out of range 1..1000000");
    assertError("incidents:\n  notify: ftp://x\n", "edge.yaml:5: incidents.notify: \"ftp://x\" is not an http:// or https:// URL");
    assertError("incidents:\n  close_afer: 5m\n", "edge.yaml:5: incidents.close_afer: unknown key (known here: min_failures, min_share, "
        + "all_failing_for, close_after, notify)");
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> read(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
