package io.edgeray.dns;

import static io.edgeray.dns.TestZones.EDGE_V4_1;
import static io.edgeray.dns.TestZones.EDGE_V4_2;
import static io.edgeray.dns.TestZones.EDGE_V6;
import static io.edgeray.dns.TestZones.name;
import static io.edgeray.dns.TestZones.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The answering rules without sockets; the server test repeats the main cases over the wire. */
class ZoneAnswersTest {
  private final ZoneAnswers answers = new ZoneAnswers(TestZones.config());
  private final ZoneAnswers pausedShop = new ZoneAnswers(TestZones.config(true));

  private Message ask(String name, int type) {
    return answers.answer(query(name, type));
  }

  /** Record data as text, IPv6 in its short form so it reads like the config. */
  static List<String> data(Message m, int section) {
    return m.getSection(section).stream().filter(r -> r.getType() != Type.OPT)
        .map(r -> r instanceof AAAARecord v6 ? NetUtil.toAddressString(v6.getAddress()) : r.rdataToString())
        .toList();
  }

  static List<String> answerData(Message m) {
    return data(m, Section.ANSWER);
  }

  @Test
  void aProxiedARecordIsAnsweredWithTheEdgesIpv4AddressesForFiveMinutes() {
    Message m = ask("www.shop.example", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(answerData(m)).containsExactly(EDGE_V4_1, EDGE_V4_2);
    assertThat(m.getSection(Section.ANSWER)).allSatisfy(r -> {
      assertThat(r.getTTL()).isEqualTo(300);
      assertThat(r.getName()).isEqualTo(name("www.shop.example"));
    });
  }

  @Test
  void aProxiedNameAnswersAaaaWithTheEdgesIpv6AddressesEvenWithOnlyAnARecord() {
    assertThat(answerData(ask("www.shop.example", Type.AAAA))).containsExactly(EDGE_V6);
    assertThat(answerData(ask("v6only.shop.example", Type.A))).containsExactly(EDGE_V4_1, EDGE_V4_2);
  }

  @Test
  void dnsOnlyRecordsAreAnsweredAsWrittenWithTheirTtl() {
    Message m = ask("direct.shop.example", Type.A);
    assertThat(answerData(m)).containsExactly("192.0.2.2");
    assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(120);
    assertThat(answerData(ask("direct.shop.example", Type.AAAA))).containsExactly("2001:db8:5::2");
  }

  @Test
  void aProxiedCnameIsAnsweredWithEdgeAddressesAndItsTargetStaysPrivate() {
    assertThat(answerData(ask("blog.shop.example", Type.A))).containsExactly(EDGE_V4_1, EDGE_V4_2);
    assertThat(answerData(ask("blog.shop.example", Type.AAAA))).containsExactly(EDGE_V6);
    Message cname = ask("blog.shop.example", Type.CNAME);
    assertThat(cname.getSection(Section.ANSWER)).isEmpty();
    assertThat(cname.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aDnsOnlyCnameIsFollowedInsideOurZones() {
    Message m = ask("docs.shop.example", Type.A);
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
    assertThat(answerData(m)).containsExactly("direct.shop.example.", "192.0.2.2");
  }

  @Test
  void aDnsOnlyCnameOutOfOurZonesIsAnsweredAloneForTheResolverToFollow() {
    Message m = ask("ext.shop.example", Type.A);
    assertThat(answerData(m)).containsExactly("elsewhere.example.net.");
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aDnsOnlyApexCnameToOurProxiedNameIsFlattenedToEdgeAddresses() {
    Message a = ask("flat.example", Type.A);
    assertThat(answerData(a)).containsExactly(EDGE_V4_1, EDGE_V4_2);
    assertThat(a.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getName()).isEqualTo(name("flat.example")));
    assertThat(answerData(ask("flat.example", Type.AAAA))).containsExactly(EDGE_V6);
    assertThat(answerData(ask("flat.example", Type.CNAME))).isEmpty();
    assertThat(ask("flat.example", Type.SOA).getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aFlattenedApexTakesTheShortestTtlOnTheWay() {
    Message m = ask("flatdirect.example", Type.A);
    assertThat(answerData(m)).containsExactly("192.0.2.2");
    assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
  }

  @Test
  void anApexCnameOutOfOurZonesCanNotBeFlattenedWithoutRecursionSoItIsAnsweredAsWritten() {
    assertThat(answerData(ask("outside.example", Type.A))).containsExactly("elsewhere.example.net.");
  }

  @Test
  void txtMxCaaAndSrvAreAnsweredAsWritten() {
    assertThat(answerData(ask("shop.example", Type.TXT))).containsExactly("\"v=spf1 include:_spf.shop.example ~all\"");
    assertThat(answerData(ask("shop.example", Type.MX))).containsExactly("10 mail.shop.example.");
    assertThat(answerData(ask("shop.example", Type.CAA))).containsExactly("0 issue \"letsencrypt.org\"");
    assertThat(answerData(ask("_sip._tcp.shop.example", Type.SRV))).containsExactly("10 5 5060 sip.shop.example.");
  }

  @Test
  void aLongTxtIsCutIntoStringsOf255Bytes() {
    TXTRecord txt = (TXTRecord) ask("long.shop.example", Type.TXT).getSection(Section.ANSWER).get(0);
    assertThat(txt.getStrings()).containsExactly("y".repeat(255), "y".repeat(45));
  }

  @Test
  void aPausedZoneAnswersItsRealContent() {
    assertThat(answerData(ask("paused.example", Type.A))).containsExactly("192.0.2.40");
    assertThat(answerData(ask("www.paused.example", Type.A))).containsExactly("origin.hosting.example.");
    assertThat(answerData(pausedShop.answer(query("www.shop.example", Type.A)))).containsExactly("192.0.2.1");
    assertThat(answerData(pausedShop.answer(query("blog.shop.example", Type.A)))).containsExactly("origin.hosting.example.");
  }

  @Test
  void namesOutsideOurZonesAreRefusedWithoutAuthority() {
    for (String outside : List.of("www.other.example", "example", "hosting.example")) {
      Message m = ask(outside, Type.A);
      assertThat(m.getRcode()).as(outside).isEqualTo(Rcode.REFUSED);
      assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }
  }

  @Test
  void zoneTransfersAndOtherClassesAreRefused() {
    assertThat(ask("shop.example", Type.AXFR).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(answers.answer(query("version.bind", Type.TXT, DClass.CH)).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aMissingNameIsNxdomainWithTheZoneSoa() {
    Message m = ask("nope.shop.example", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    SOARecord soa = (SOARecord) m.getSection(Section.AUTHORITY).get(0);
    assertThat(soa.getName()).isEqualTo(name("shop.example"));
    assertThat(soa.getTTL()).isEqualTo(300);
    assertThat(soa.getMinimum()).isEqualTo(300);
  }

  @Test
  void aMissingTypeIsNodataWithTheZoneSoa() {
    Message m = ask("direct.shop.example", Type.MX);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aNameThatOnlyHasLongerNamesBelowItExistsWithoutData() {
    for (String empty : List.of("b.shop.example", "a.b.shop.example")) {
      Message m = ask(empty, Type.A);
      assertThat(m.getRcode()).as(empty).isEqualTo(Rcode.NOERROR);
      assertThat(m.getSection(Section.AUTHORITY)).as(empty).singleElement().isInstanceOf(SOARecord.class);
    }
    assertThat(answerData(ask("deep.a.b.shop.example", Type.A))).containsExactly("192.0.2.31");
  }

  @Test
  void aWildcardAnswersForNamesBelowItUnderTheAskedName() {
    Message m = ask("x.apps.shop.example", Type.A);
    assertThat(answerData(m)).containsExactly("192.0.2.30");
    assertThat(m.getSection(Section.ANSWER).get(0).getName()).isEqualTo(name("x.apps.shop.example"));
    assertThat(answerData(ask("y.x.apps.shop.example", Type.A))).containsExactly("192.0.2.30");
    assertThat(ask("x.apps.shop.example", Type.AAAA).getSection(Section.AUTHORITY)).hasSize(1);
  }

  @Test
  void theServerMakesUpSoaAndTwoNameServersThatAnswerWithTheEdge() {
    Message ns = ask("shop.example", Type.NS);
    assertThat(answerData(ns)).containsExactly("ns1.shop.example.", "ns2.shop.example.");
    assertThat(data(ns, Section.ADDITIONAL)).containsExactly(EDGE_V4_1, EDGE_V4_2, EDGE_V6, EDGE_V4_1, EDGE_V4_2, EDGE_V6);
    assertThat(answerData(ask("ns1.shop.example", Type.A))).containsExactly(EDGE_V4_1, EDGE_V4_2);
    SOARecord soa = (SOARecord) ask("shop.example", Type.SOA).getSection(Section.ANSWER).get(0);
    assertThat(soa.getHost()).isEqualTo(name("ns1.shop.example"));
    assertThat(soa.getAdmin()).isEqualTo(name("hostmaster.shop.example"));
    assertThat(soa.getSerial()).isPositive();
  }

  @Test
  void aZoneWithItsOwnNameServersKeepsThem() {
    assertThat(answerData(ask("own-ns.example", Type.NS))).containsExactly("ns.provider.example.");
    assertThat(((SOARecord) ask("own-ns.example", Type.SOA).getSection(Section.ANSWER).get(0)).getHost())
        .isEqualTo(name("ns.provider.example"));
    assertThat(ask("ns1.own-ns.example", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void theSoaSerialChangesWhenTheZoneDoes() {
    long serial = ((SOARecord) ask("shop.example", Type.SOA).getSection(Section.ANSWER).get(0)).getSerial();
    long pausedSerial = ((SOARecord) pausedShop.answer(query("shop.example", Type.SOA)).getSection(Section.ANSWER).get(0)).getSerial();
    long again = ((SOARecord) new ZoneAnswers(TestZones.config()).answer(query("shop.example", Type.SOA))
        .getSection(Section.ANSWER).get(0)).getSerial();
    assertThat(serial).isEqualTo(again).isNotEqualTo(pausedSerial);
  }

  @Test
  void aDelegatedSubdomainGetsAReferralWithGlueAndNoAuthorityFlag() {
    Message m = ask("host.sub.shop.example", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(data(m, Section.AUTHORITY)).containsExactly("ns.sub.shop.example.");
    assertThat(data(m, Section.ADDITIONAL)).containsExactly("192.0.2.53");
  }

  @Test
  void anyIsAnsweredWithTheSingleRecordOfRfc8482() {
    assertThat(answerData(ask("shop.example", Type.ANY))).containsExactly("\"RFC8482\" \"\"");
    assertThat(ask("nope.shop.example", Type.ANY).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void namesAreMatchedWhateverTheirCase() {
    Message m = ask("WwW.Shop.EXAMPLE", Type.A);
    assertThat(answerData(m)).containsExactly(EDGE_V4_1, EDGE_V4_2);
    assertThat(m.getQuestion().getName().toString()).isEqualTo("WwW.Shop.EXAMPLE.");
  }

  @Test
  void ednsIsAnsweredWithOurPayloadSizeAndAnUnknownVersionWithBadvers() {
    Message q = query("www.shop.example", Type.A);
    q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    assertThat(answers.answer(q).getOPT().getPayloadSize()).isEqualTo(1232);
    Message v1 = query("www.shop.example", Type.A);
    v1.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
    assertThat(answers.answer(v1).getRcode()).isEqualTo(Rcode.BADVERS);
  }

  @Test
  void theIdAndRecursionDesiredAreEchoedButRecursionIsNeverAvailable() {
    Message q = query("www.shop.example", Type.A);
    q.getHeader().setFlag(Flags.RD);
    Message m = answers.answer(q);
    assertThat(m.getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
  }
}
