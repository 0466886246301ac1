package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of the rule language, each against a request it matches and one it does not. */
class FirewallFieldsTest {

  static Stream<Arguments> fields() {
    return Stream.of(
        field("ip.src == \"198.51.100.23\"", v -> v.ip("198.51.100.24")),
        field("ip.src in cidr(\"198.51.100.0/24\")", v -> v.ip("198.51.101.23")),
        field("cidr(\"198.51.100.0/25\").contains(ip.src)", v -> v.ip("198.51.100.200")),
        field("ip.src in cidr(\"2001:db8::/32\")", v -> v.ip("2001:db9::1"), v -> v.ip("2001:db8::7")),
        field("http.host == \"shop.example\"", v -> v.host("www.shop.example")),
        field("http.request.method == \"GET\"", v -> v.method("POST")),
        field("http.request.uri.path.startsWith(\"/products/\")", v -> v.path("/cart")),
        field("http.request.uri.query.contains(\"color=red\")", v -> v.query("color=blue")),
        field("http.request.full_uri == \"https://shop.example/products/42?color=red&size=m\"", v -> v.ssl(false)),
        field("\"accept-language\" in http.request.headers && http.request.headers[\"accept-language\"][0].startsWith(\"en\")",
            v -> v.without("accept-language")),
        field("http.request.headers[\"x-forwarded-for\"].exists(x, x == \"10.0.0.1\")",
            v -> v.header("x-forwarded-for", "10.0.0.2"), v -> v.header("x-forwarded-for", "10.0.0.2", "10.0.0.1")),
        field("http.cookie.contains(\"session=abc123\")", v -> v.header("cookie", "theme=dark")),
        field("http.user_agent.contains(\"Firefox\")", v -> v.header("user-agent", "curl/8.5.0")),
        field("http.referer.startsWith(\"https://shop.example/\")", v -> v.header("referer", "https://evil.example/")),
        field("http.request.version == \"HTTP/1.1\"", v -> v.version("HTTP/2")),
        field("ssl", v -> v.ssl(false)),
        field("http.request.uri.path.matches(\"^/products/[0-9]+$\")", v -> v.path("/products/abc")));
  }

  private static Arguments field(String expression, UnaryOperator<Visitor> unlike) {
    return field(expression, unlike, v -> v);
  }

  private static Arguments field(String expression, UnaryOperator<Visitor> unlike, UnaryOperator<Visitor> like) {
    return Arguments.of(expression, like, unlike);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fields")
  void eachFieldMatchesTheRequestItDescribesAndNotAnother(String expression, UnaryOperator<Visitor> like,
      UnaryOperator<Visitor> unlike) throws Exception {
    RuleExpression e = RuleExpressions.compile(expression);

    RequestActivation matching = RequestActivation.of(like.apply(Visitor.browser()).facts());
    RequestActivation other = RequestActivation.of(unlike.apply(Visitor.browser()).facts());

    assertThat(e.matches(matching)).as("matches").isTrue();
    assertThat(e.matches(other)).as("does not match").isFalse();
    assertThat(e.matchesWithCel(matching)).as("CEL's interpreter agrees").isTrue();
    assertThat(e.matchesWithCel(other)).as("CEL's interpreter agrees").isFalse();
  }

  @Test
  void anIpv4VisitorOnADualStackSocketMatchesItsIpv4Block() throws Exception {
    RuleExpression e = RuleExpressions.compile("ip.src in cidr(\"198.51.100.0/24\")");

    assertThat(e.matches(Visitor.browser().ip("::ffff:198.51.100.23").facts())).isTrue();
  }

  @Test
  void anExpressionThatFailsWhileRunningDoesNotMatch() throws Exception {
    RuleExpression e = RuleExpressions.compile("http.request.headers[\"x-api-key\"][0] == \"k\"");

    assertThat(e.matches(Visitor.browser().facts())).isFalse(); // no such key: an evaluation error, not a match
  }

  @Test
  void aRuleNeverFormatsTheClientAddressUnlessItReadsIt() {
    RequestActivation a = RequestActivation.of(Visitor.browser().facts());

    assertThat(a.find("http.host")).contains("shop.example");
    assertThat(a.find("ssl")).contains(true);
    assertThat(a.find("no.such.field")).isEmpty();
  }
}
