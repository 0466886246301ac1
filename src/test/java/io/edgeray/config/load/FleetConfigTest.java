package io.edgeray.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.FleetSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet: section, and that a file without it is the stand-alone node it always was. */
class FleetConfigTest {
  private static final String NODE = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nadmin: 127.0.0.1:9090\n";

  private static EdgeConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse("edge.yaml", yaml);
  }

  @Test
  void withoutAFleetSectionTheNodeStandsAloneAndNeedsItsZones() throws ConfigException {
    assertThat(parse(NODE + "zones: []\n").fleet()).isNull();
    assertThatThrownBy(() -> parse(NODE)).isInstanceOf(ConfigException.class).hasMessage("edge.yaml:1: zones: is required");
  }

  @Test
  void aFleetNodeReadsItsSettingsWithDefaultsAndMayLeaveTheZonesToEtcd() throws ConfigException {
    FleetSettings f = parse(NODE + "fleet: { etcd: [http://127.0.0.1:2379, http://127.0.0.1:22379], location: \"Amsterdam\","
        + " redis: redis://127.0.0.1 }\n").fleet();
    assertThat(f).isEqualTo(new FleetSettings(List.of(URI.create("http://127.0.0.1:2379"), URI.create("http://127.0.0.1:22379")),
        "/edgeray", "AMS", "Amsterdam", URI.create("redis://127.0.0.1:6379"), null, Duration.ofSeconds(10), Duration.ofMillis(250)));
  }

  @Test
  void aWrongFleetSettingNamesItsLineAndKey() {
    assertThatThrownBy(() -> parse(NODE + "fleet:\n  etcd: 127.0.0.1:2379\n"))
        .hasMessage("edge.yaml:5: fleet.etcd: \"127.0.0.1:2379\" is not a URL such as http://127.0.0.1:2379");
    assertThatThrownBy(() -> parse(NODE + "fleet:\n  etcd: [http://127.0.0.1:2379]\n  redis: http://127.0.0.1:6379\n"))
        .hasMessage("edge.yaml:6: fleet.redis: \"http://127.0.0.1:6379\": the scheme must be redis://");
    assertThatThrownBy(() -> parse(NODE + "fleet:\n  etcd: [http://127.0.0.1:2379]\n  prefix: edgeray\n"))
        .hasMessageStartingWith("edge.yaml:6: fleet.prefix: \"edgeray\" must start with /");
    assertThatThrownBy(() -> parse(NODE + "fleet:\n  etcd: [http://127.0.0.1:2379]\n  leases: 10s\n"))
        .hasMessageStartingWith("edge.yaml:6: fleet.leases: unknown key");
    assertThatThrownBy(() -> parse(NODE + "fleet:\n  location: Amsterdam\n"))
        .hasMessage("edge.yaml:5: fleet.etcd: is required");
  }
}
