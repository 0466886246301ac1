package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A bad rule is a config error naming the file, the line, the key and CEL's column; the whole config is refused. */
class ExpressionErrorsTest {

  private static String firewall(String thirdExpression) {
    return Policies.config("", """
        firewall:
          - { id: a, expression: 'ssl', action: log }
          - { id: b, expression: 'http.host == "x"', action: log }
          - id: c
            description: the broken one
            expression: %s
            action: block
        """.formatted(thirdExpression));
  }

  @Test
  void anUnknownFieldIsReportedWithItsLineAndColumn() {
    assertThatThrownBy(() -> Policies.load(firewall("'http.request.uri.path == \"/\" && http.hots == \"x\"'")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:12: zones[0].firewall[2].expression: column 33: undeclared reference to 'http'");
  }

  @Test
  void aSyntaxErrorIsReportedWithItsColumn() {
    assertThatThrownBy(() -> Policies.load(firewall("'http.host == '")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edgeray.yaml:12: zones[0].firewall[2].expression: column 13: mismatched input '<EOF>'");
  }

  @Test
  void anExpressionThatIsNotABoolIsRefused() {
    assertThatThrownBy(() -> Policies.load(firewall("'http.host'")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edgeray.yaml:12: zones[0].firewall[2].expression: column 5: expected type 'bool' but found 'string'");
  }

  @Test
  void aWrongTypeNamesTheOperatorColumn() {
    assertThatThrownBy(() -> Policies.load(firewall("'ssl == \"yes\"'")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:12: zones[0].firewall[2].expression: column 5: found no matching overload for '_==_' applied to '(bool, string)'");
  }

  @Test
  void aBadBlockInCidrIsReportedAtItsArgument() {
    assertThatThrownBy(() -> Policies.load(firewall("'ip.src in cidr(\"10.0.0.1/8\")'")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:12: zones[0].firewall[2].expression: column 16: cidr(): \"10.0.0.1/8\" has host bits set; the block is 10.0.0.0/8");
  }

  @Test
  void cidrTakesOnlyALiteral() {
    assertThatThrownBy(() -> Policies.load(firewall("'ip.src in cidr(http.host)'")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:12: zones[0].firewall[2].expression: column 20: cidr() takes a quoted block such as cidr(\"192.0.2.0/24\")");
  }

  @Test
  void anErrorOnTheSecondLineOfABlockExpressionNamesThatFileLine() {
    String yaml = firewall("|\n      http.host == \"shop.example\" &&\n      http.hots == \"x\"");

    assertThatThrownBy(() -> Policies.load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:14: zones[0].firewall[2].expression: line 2, column 1: undeclared reference to 'http'");
  }

  @Test
  void aBadRateLimitExpressionIsReportedUnderItsOwnKey() {
    String yaml = Policies.config("", """
        rate_limits:
          - { id: login, expression: 'http.request.method = "POST"', requests: 5, period: 1m, action: block }
        """);

    assertThatThrownBy(() -> Policies.load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edgeray.yaml:8: zones[0].rate_limits[0].expression: column ");
  }

  @Test
  void theCompilerAloneSaysTheSameWithoutTheFile() {
    assertThatThrownBy(() -> RuleExpressions.compile("ip.src == 1"))
        .isInstanceOf(InvalidExpressionException.class)
        .hasMessage("column 8: found no matching overload for '_==_' applied to '(string, int)'")
        .satisfies(e -> assertThat(((InvalidExpressionException) e).column()).isEqualTo(8));
  }
}
