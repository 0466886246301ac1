package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestFactsTest {

  private static HttpRequest request(String uri) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    r.headers().add("Host", "Shop.Example:8443");
    r.headers().add("User-Agent", "curl/8.5.0");
    r.headers().add("Referer", "https://shop.example/");
    r.headers().add("Cookie", "a=1");
    r.headers().add("Cookie", "session=s1");
    r.headers().add("X-Forwarded-For", "10.0.0.1");
    r.headers().add("x-forwarded-for", "10.0.0.2");
    return r;
  }

  @Test
  void aNettyRequestHeadBecomesTheFactsRulesRead() {
    RequestFacts f = HttpRequestFacts.of(request("/login?next=%2F"), NetUtil.createInetAddressFromIpAddressString("192.0.2.1"),
        true, null, "shop.example", "ray-AMS");

    assertThat(f.host()).isEqualTo("shop.example");
    assertThat(f.method()).isEqualTo("POST");
    assertThat(f.path()).isEqualTo("/login");
    assertThat(f.query()).isEqualTo("next=%2F");
    assertThat(f.fullUri()).isEqualTo("https://shop.example/login?next=%2F");
    assertThat(f.cookie()).isEqualTo("a=1; session=s1");
    assertThat(f.cookieValue("session")).isEqualTo("s1");
    assertThat(f.userAgent()).isEqualTo("curl/8.5.0");
    assertThat(f.referer()).isEqualTo("https://shop.example/");
    assertThat(f.httpVersion()).isEqualTo("HTTP/1.1");
    assertThat(f.headers().get("x-forwarded-for")).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(f.headers().containsKey("user-agent")).isTrue();
    assertThat(f.headers().containsKey("User-Agent")).as("names are lower-case").isFalse();
    assertThat(Map.copyOf(f.headers())).containsEntry("x-forwarded-for", List.of("10.0.0.1", "10.0.0.2")).hasSize(5);
  }

  @Test
  void anAbsoluteFormTargetGivesItsOwnHostAndPath() {
    RequestFacts f = HttpRequestFacts.of(request("http://www.shop.example/a/b"),
        NetUtil.createInetAddressFromIpAddressString("2001:db8::1"), false, "HTTP/2", "shop.example", "r");

    assertThat(f.host()).isEqualTo("www.shop.example");
    assertThat(f.path()).isEqualTo("/a/b");
    assertThat(f.query()).isEmpty();
    assertThat(f.httpVersion()).isEqualTo("HTTP/2");
    assertThat(HttpRequestFacts.hostWithoutPort("[2001:DB8::1]:443")).isEqualTo("[2001:db8::1]");
  }

  @Test
  void rulesReadTheLazyHeadersAsTheyReadAMap() throws Exception {
    RequestFacts f = HttpRequestFacts.of(request("/"), NetUtil.createInetAddressFromIpAddressString("192.0.2.1"),
        true, null, "shop.example", "r");
    RuleExpression direct = RuleExpressions.compile("http.request.headers[\"x-forwarded-for\"].exists(v, v == \"10.0.0.2\")");
    RuleExpression overNames = RuleExpressions.compile("http.request.headers.exists(k, k == \"cookie\")");
    RuleExpression celOnly = RuleExpressions.compile("size(http.request.headers) == 5");
    RequestActivation a = RequestActivation.of(f);

    assertThat(direct.matches(a)).isTrue();
    assertThat(direct.matchesWithCel(a)).isTrue();
    assertThat(overNames.matches(a)).isTrue();
    assertThat(overNames.matchesWithCel(a)).isTrue();
    assertThat(celOnly.isDirect()).isFalse();
    assertThat(celOnly.matches(a)).isTrue();
  }

  @Test
  void rulesReadTheHeadItselfAsTheyReadTheFactsMadeFromIt() throws Exception {
    HttpRequest head = request("http://www.shop.example/wp-login.php?q=union+select");
    java.net.InetAddress client = NetUtil.createInetAddressFromIpAddressString("198.51.100.7");
    RequestActivation lazy = new HttpRequestFacts(head, client, false, null, "shop.example", "r");
    RequestActivation made = RequestActivation.of(HttpRequestFacts.of(head, client, false, null, "shop.example", "r"));

    for (String rule : List.of(
        "http.request.uri.path.endsWith(\".php\") && http.host == \"www.shop.example\"",
        "http.request.uri.query.matches(\"(?i)union[ +]+select\")",
        "ip.src in cidr(\"198.51.100.0/24\") && !ssl",
        "http.request.full_uri == \"http://www.shop.example/wp-login.php?q=union+select\"",
        "http.cookie.contains(\"session=s1\") && http.user_agent.startsWith(\"curl/\")",
        "\"x-forwarded-for\" in http.request.headers && !(\"X-Forwarded-For\" in http.request.headers)",
        "http.request.method == \"POST\" && http.request.version == \"HTTP/1.1\"")) {
      RuleExpression e = RuleExpressions.compile(rule);
      assertThat(e.matches(lazy)).as(rule).isTrue();
      assertThat(e.matchesWithCel(lazy)).as(rule + " on CEL").isTrue();
      assertThat(e.matches(made)).as(rule + " on the facts").isTrue();
    }
  }
}
