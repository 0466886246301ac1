package io.edgeray.config.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.AdminSettings;
import io.edgeray.config.AdminToken;
import io.edgeray.config.HostPort;
import io.edgeray.config.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code admin:}: the old scalar, the mapping with tokens, and what each mistake says. */
class AdminConfigTest {
  private static final String HASH = "sha256:" + "ab".repeat(32);

  private static AdminSettings admin(String adminYaml) throws Exception {
    return ConfigLoader.parse("edge.yaml", "node: AMS\nlisten: { http: 127.0.0.1:8080 }\n" + adminYaml + "zones: []\n").admin();
  }

  @Test
  void theOldScalarFormIsAPlainHttpListenerWithoutTokens() throws Exception {
    assertThat(admin("admin: 127.0.0.1:9090\n")).isEqualTo(AdminSettings.listenOnly(new HostPort("127.0.0.1", 9090)));
  }

  @Test
  void theMappingFormReadsListenTokensAndMetricsPublic() throws Exception {
    AdminSettings a = admin("admin:\n  listen: 0.0.0.0:9090\n  metrics_public: true\n  tokens:\n"
        + "    - { name: ci, scope: edit, hash: \"" + HASH + "\" }\n    - { name: grafana, scope: read, hash: \"" + HASH + "\" }\n");
    assertThat(a.listen()).isEqualTo(new HostPort("0.0.0.0", 9090));
    assertThat(a.metricsPublic()).isTrue();
    assertThat(a.tls()).isNull();
    assertThat(a.tokens()).containsExactly(new AdminToken("ci", Scope.EDIT, HASH), new AdminToken("grafana", Scope.READ, HASH));
  }

  @Test
  void aBadScopeNamesItsFileLineAndKey() {
    assertThatThrownBy(() -> admin("admin:\n  listen: 127.0.0.1:9090\n  tokens:\n    - { name: ci, scope: write, hash: \"" + HASH + "\" }\n"))
        .hasMessage("edge.yaml:6: admin.tokens[0].scope: \"write\" is not a scope (read or edit)");
  }

  @Test
  void aTokenInPlaceOfItsHashIsRefusedWithAHint() {
    assertThatThrownBy(() -> admin("admin:\n  listen: 127.0.0.1:9090\n  tokens:\n    - name: ci\n      scope: edit\n      hash: edr_abc\n"))
        .hasMessageStartingWith("edge.yaml:8: admin.tokens[0].hash: expected sha256: and 64 lowercase hex digits")
        .hasMessageContaining("this is the token itself");
  }

  @Test
  void twoTokensOfOneNameAreRefused() {
    assertThatThrownBy(() -> admin("admin:\n  listen: 127.0.0.1:9090\n  tokens:\n"
        + "    - { name: ci, scope: edit, hash: \"" + HASH + "\" }\n    - { name: ci, scope: read, hash: \"" + HASH + "\" }\n"))
        .hasMessage("edge.yaml:7: admin.tokens[1].name: a token named ci is already defined on line 6");
  }

  @Test
  void aNonLoopbackAdminWithoutTokensIsRefusedInBothForms() {
    assertThatThrownBy(() -> admin("admin: 0.0.0.0:9090\n"))
        .hasMessageStartingWith("edge.yaml:3: admin: 0.0.0.0:9090 is reachable from other hosts and admin.tokens is empty")
        .hasMessageContaining("./edgeray token create NAME --scope edit");
    assertThatThrownBy(() -> admin("admin:\n  listen: 192.0.2.1:9090\n"))
        .hasMessageStartingWith("edge.yaml:4: admin.listen: 192.0.2.1:9090 is reachable from other hosts");
  }

  @Test
  void loopbackAddressesNeedNoTokens() throws Exception {
    assertThat(admin("admin: \"[::1]:9090\"\n").tokens()).isEmpty();
    assertThat(admin("admin: localhost:9090\n").tokens()).isEmpty();
    assertThat(admin("admin: { listen: 127.0.0.2:9090 }\n").tokens()).isEqualTo(List.of());
  }
}
