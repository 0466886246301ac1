package io.edgeray.dns;

import static io.edgeray.dns.TestZones.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.EdgeConfig;
import io.edgeray.dns.PacketAnswerer.Transport;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class PacketAnswererTest {
  private final PacketAnswerer answerer = new PacketAnswerer(TestZones::config);

  @Test
  void aPacketShorterThanAHeaderGetsNoReply() {
    assertThat(answerer.reply(new byte[] {1, 2, 3, 4, 5}, Transport.UDP)).isNull();
  }

  @Test
  void aResponseGetsNoReplySoTwoServersCanNotBounceOffEachOther() {
    byte[] packet = query("www.shop.example", Type.A).toWire();
    packet[2] |= (byte) 0x80;
    assertThat(answerer.reply(packet, Transport.UDP)).isNull();
  }

  @Test
  void aQueryThatCanNotBeReadGetsFormerrWithItsId() throws Exception {
    byte[] packet = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 'e', 'x'};
    Message reply = new Message(answerer.reply(packet, Transport.UDP));
    assertThat(reply.getHeader().getID()).isEqualTo(0x1234);
    assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void aQueryWithoutAQuestionGetsFormerr() throws Exception {
    Message empty = new Message(7);
    assertThat(new Message(answerer.reply(empty.toWire(), Transport.UDP)).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void udpAnswersAreCutTo512BytesWithTcSetAndTcpAnswersAreWhole() throws Exception {
    byte[] packet = query("big.shop.example", Type.TXT).toWire();
    byte[] udp = answerer.reply(packet, Transport.UDP);
    assertThat(udp.length).isLessThanOrEqualTo(512);
    assertThat(new Message(udp).getHeader().getFlag(Flags.TC)).isTrue();
    Message tcp = new Message(answerer.reply(packet, Transport.TCP));
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(TestZones.BIG_TXT_COUNT);
  }

  @Test
  void udpAnswersGrowToTheClientsEdnsSizeButNoFurtherThan1232Bytes() throws Exception {
    byte[] plain = answerer.reply(query("medium.shop.example", Type.TXT).toWire(), Transport.UDP);
    assertThat(new Message(plain).getHeader().getFlag(Flags.TC)).isTrue();

    Message offers800 = query("medium.shop.example", Type.TXT);
    offers800.addRecord(new OPTRecord(800, 0, 0), Section.ADDITIONAL);
    byte[] reply = answerer.reply(offers800.toWire(), Transport.UDP);
    assertThat(reply.length).isBetween(513, 800);
    assertThat(new Message(reply).getSection(Section.ANSWER)).hasSize(TestZones.MEDIUM_TXT_COUNT);

    Message offers65000 = query("big.shop.example", Type.TXT);
    offers65000.addRecord(new OPTRecord(65000, 0, 0), Section.ADDITIONAL);
    reply = answerer.reply(offers65000.toWire(), Transport.UDP);
    assertThat(reply.length).isLessThanOrEqualTo(1232);
    assertThat(new Message(reply).getHeader().getFlag(Flags.TC)).isTrue();
  }

  @Test
  void everyQueryReadsTheConfigAnewSoAReloadTakesEffectAtOnce() throws Exception {
    AtomicReference<EdgeConfig> current = new AtomicReference<>(TestZones.config(false));
    PacketAnswerer reloading = new PacketAnswerer(current::get);
    byte[] packet = query("www.shop.example", Type.A).toWire();
    assertThat(ZoneAnswersTest.answerData(new Message(reloading.reply(packet, Transport.UDP))))
        .containsExactly(TestZones.EDGE_V4_1, TestZones.EDGE_V4_2);
    current.set(TestZones.config(true));
    assertThat(ZoneAnswersTest.answerData(new Message(reloading.reply(packet, Transport.UDP))))
        .containsExactly("192.0.2.1");
  }

  @Test
  void aFailureWhileAnsweringIsServfailNotACrash() throws Exception {
    PacketAnswerer broken = new PacketAnswerer(() -> {
      throw new IllegalStateException("no config yet");
    });
    Message reply = new Message(broken.reply(query("www.shop.example", Type.A).toWire(), Transport.UDP));
    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }
}
