package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;

class TinyDnsTest {
  private TinyDns dns;
  private SimpleResolver resolver;

  @BeforeEach
  void start() throws Exception {
    dns = TinyDns.start(Map.of("origin.shop.example", "127.0.0.7"));
    resolver = new SimpleResolver(dns.address());
    resolver.setTimeout(Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private Message ask(String name, int type) throws Exception {
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  @Test
  void answersTheARecordsItWasGiven() throws Exception {
    Message reply = ask("Origin.Shop.Example.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER)).singleElement()
        .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("127.0.0.7"));
  }

  @Test
  void answersNxdomainForEveryOtherName() throws Exception {
    Message reply = ask("cname-target.invalid.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aLookupSessionSeesNxdomainAsNoSuchDomain() {
    LookupSession session = LookupSession.defaultBuilder().resolver(resolver).build();
    assertThatThrownBy(() -> session.lookupAsync(Name.fromString("cname-target.invalid."), Type.A)
            .toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NoSuchDomainException.class);
  }

  @Test
  void answersAnEmptyNoerrorForAKnownNameWithoutThatType() throws Exception {
    Message reply = ask("origin.shop.example.", Type.AAAA);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(dns.questions()).containsExactly(new TinyDns.Question("origin.shop.example", "AAAA"));
  }
}
