package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain-Java path gives CEL's own answer, errors included, for every request tried. */
class DirectRulesTest {
  private static final List<RequestFacts> REQUESTS = List.of(
      Visitor.browser().facts(),
      Visitor.browser().ip("192.0.2.9").method("POST").path("/login").query("").ssl(false).facts(),
      Visitor.browser().ip("2001:db8::7").path("/admin/users").header("x-debug", "1").facts(),
      Visitor.browser().without("accept-language").without("user-agent").without("cookie").facts(),
      Visitor.browser().header("accept-language", "xx-XX", "en").header("x-api-key").version("HTTP/2").facts(),
      Visitor.browser().ip("::ffff:192.0.2.200").host("api.shop.example").path("/api/v2/internal/x").facts(),
      Visitor.browser().path("/caf\u00e9/\ud83d\ude00").query("q=" + "x".repeat(300)).header("user-agent", "sqlmap/1.7").facts());

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "ip.src in cidr(\"192.0.2.0/24\")",
      "cidr(\"2001:db8::/32\").contains(ip.src) && http.request.uri.path.startsWith(\"/admin\")",
      "http.request.uri.path.endsWith(\".php\") || http.user_agent.contains(\"curl\")",
      "!ssl || http.request.version != \"HTTP/1.1\"",
      "http.request.method in [\"POST\", \"PUT\", \"DELETE\"]",
      "\"x-debug\" in http.request.headers",
      "http.request.headers[\"x-debug\"][0] == \"1\"",
      "!(http.request.headers[\"x-debug\"][0] == \"1\")",
      "http.request.headers[\"x-debug\"][0] == \"1\" || ssl",
      "http.request.headers[\"x-debug\"][0] == \"1\" && !ssl",
      "false && http.request.headers[\"x-nope\"][0] == \"1\"",
      "http.request.headers[\"x-api-key\"][0] == \"\"",
      "http.request.headers[\"accept-language\"].exists(l, l.startsWith(\"xx\"))",
      "http.request.headers[\"accept-language\"].all(l, l.startsWith(\"en\"))",
      "!http.request.headers[\"accept-language\"].exists(l, l == \"en\")",
      "http.request.uri.path.matches(\"^/api/v[0-9]+/internal\")",
      "http.host == \"api.shop.example\" && http.request.uri.query == \"\"",
      "http.cookie.contains(\"session=\") && http.referer.startsWith(\"https://\")",
      "http.request.full_uri.contains(\"?\")",
      "http.request.headers.exists(name, name.startsWith(\"x-\"))",
      "http.request.headers.exists(k, http.request.headers[k].exists(v, v == \"1\")) || ssl",
      "\"x-debug\" in http.request.headers && http.request.headers[\"x-debug\"].exists(v, v == \"1\")",
      "size(http.request.uri.path) > 100",
      "size(http.request.uri.path) == 8",
      "http.request.uri.path.size() <= 8",
      "size(http.request.uri.query) >= 302 || size(http.request.uri.query) < 1",
      "size(http.request.headers[\"accept-language\"]) > 1",
      "http.request.headers[\"x-nope\"].size() > 0 || ssl",
      "http.request.uri.query.matches(\"(?i)union[ +]+select|sleep\\\\(\")",
      "http.user_agent.matches(\"(?i)(sqlmap|nikto|acunetix)\")",
      "http.request.uri.query.matches(\"^$\")",
  })
  void theDirectPathAgreesWithCel(String expression) throws Exception {
    RuleExpression e = RuleExpressions.compile(expression);

    assertThat(e.isDirect()).as("runs as plain Java").isTrue();
    for (RequestFacts facts : REQUESTS) {
      RequestActivation a = RequestActivation.of(facts);
      assertThat(e.matches(a)).as("%s for %s %s", expression, facts.clientIp(), facts.path()).isEqualTo(e.matchesWithCel(a));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http.request.headers[\"accept-language\"].exists_one(l, l == \"en\")",
      "(ssl ? \"https\" : \"http\") == \"https\"",
  })
  void whatTheDirectPathDoesNotKnowRunsOnCel(String expression) throws Exception {
    RuleExpression e = RuleExpressions.compile(expression);

    assertThat(e.isDirect()).isFalse();
    for (RequestFacts facts : REQUESTS) e.matches(facts); // and does not fail
  }

  @Test
  void anAbsentHeaderInATopLevelComparisonDoesNotMatchEitherWay() throws Exception {
    RuleExpression e = RuleExpressions.compile("!(http.request.headers[\"x-nope\"][0] == \"1\")");
    RequestActivation a = RequestActivation.of(Visitor.browser().facts());

    assertThat(e.matches(a)).isFalse();
    assertThat(e.matchesWithCel(a)).isFalse();
  }

  /** Issue 18's goal is about these rules: one of them falling back to CEL's interpreter costs microseconds a request. */
  @Test
  void everyRuleOfTheBenchRulesConfigRunsAsPlainJava() throws Exception {
    Matcher m = Pattern.compile("id: ([\\w-]+), action: \\w+, expression: '([^']*)'")
        .matcher(Files.readString(Path.of("bench/conf/edgeray-rules.yaml")));
    int rules = 0;
    while (m.find()) {
      rules++;
      assertThat(RuleExpressions.compile(m.group(2)).isDirect()).as("rule %s: %s", m.group(1), m.group(2)).isTrue();
    }
    assertThat(rules).isEqualTo(20);
  }
}
