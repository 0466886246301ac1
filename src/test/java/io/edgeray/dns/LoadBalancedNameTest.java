package io.edgeray.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.load.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** A name served by a load balancer is answered with the edge's addresses, like a proxied record. */
class LoadBalancedNameTest {
  private static final String YAML = """
      node: AMS
      listen: { http: 127.0.0.1:8080 }
      edge: { addresses: [192.0.2.10, "2001:db8::10"] }
      pools:
        - name: web
          origins: [ { name: a, address: 10.0.0.1, port: 80 } ]
      zones:
        - name: shop.example
          load_balancers:
            - { name: api.v2, pool: web }
      """;

  @Test
  void aLoadBalancedNameWithoutRecordsAnswersWithTheEdgeAddresses() throws Exception {
    ZoneAnswers answers = new ZoneAnswers(ConfigLoader.parse("edge.yaml", YAML));
    Message a = answers.answer(TestZones.query("api.v2.shop.example", Type.A));
    assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ZoneAnswersTest.answerData(a)).containsExactly("192.0.2.10");
    assertThat(ZoneAnswersTest.answerData(answers.answer(TestZones.query("api.v2.shop.example", Type.AAAA))))
        .containsExactly("2001:db8::10");
    Message between = answers.answer(TestZones.query("v2.shop.example", Type.A));
    assertThat(between.getRcode()).as("the name between is an empty non-terminal").isEqualTo(Rcode.NOERROR);
    assertThat(ZoneAnswersTest.answerData(between)).isEmpty();
  }
}
