package io.edgeray.dns;

import static io.edgeray.dns.TestZones.EDGE_V4_1;
import static io.edgeray.dns.TestZones.EDGE_V4_2;
import static io.edgeray.dns.TestZones.EDGE_V6;
import static io.edgeray.dns.TestZones.query;
import static io.edgeray.dns.ZoneAnswersTest.answerData;
import static io.edgeray.dns.ZoneAnswersTest.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeray.config.EdgeConfig;
import io.edgeray.testing.ExternalCommand;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The server on a loopback port, asked by real clients: dnsjava's resolver and dig. */
class AuthoritativeDnsServerTest {
  private static final AtomicReference<EdgeConfig> config = new AtomicReference<>();
  private static AuthoritativeDnsServer server;

  enum Transport { UDP, TCP }

  @BeforeAll
  static void start() throws Exception {
    config.set(TestZones.config());
    server = AuthoritativeDnsServer.start(config.get().dnsListen().toSocketAddress(), config::get);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void unpause() {
    config.set(TestZones.config(false));
  }

  private static SimpleResolver resolver(Transport transport) {
    SimpleResolver resolver = new SimpleResolver(server.localAddress());
    resolver.setTCP(transport == Transport.TCP);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver;
  }

  private static Message ask(Transport transport, String name, int type) throws Exception {
    return resolver(transport).send(query(name, type));
  }

  static Stream<Arguments> everyRecordType() {
    List<Arguments> rows = List.of(
        Arguments.of("www.shop.example", Type.A, List.of(EDGE_V4_1, EDGE_V4_2)),       // proxied A
        Arguments.of("www.shop.example", Type.AAAA, List.of(EDGE_V6)),                 // proxied A, asked AAAA
        Arguments.of("v6only.shop.example", Type.AAAA, List.of(EDGE_V6)),              // proxied AAAA
        Arguments.of("blog.shop.example", Type.A, List.of(EDGE_V4_1, EDGE_V4_2)),      // proxied CNAME
        Arguments.of("direct.shop.example", Type.A, List.of("192.0.2.2")),             // DNS-only A
        Arguments.of("direct.shop.example", Type.AAAA, List.of("2001:db8:5::2")),      // DNS-only AAAA
        Arguments.of("docs.shop.example", Type.CNAME, List.of("direct.shop.example.")),
        Arguments.of("docs.shop.example", Type.A, List.of("direct.shop.example.", "192.0.2.2")),
        Arguments.of("flat.example", Type.A, List.of(EDGE_V4_1, EDGE_V4_2)),           // flattened apex
        Arguments.of("shop.example", Type.TXT, List.of("\"v=spf1 include:_spf.shop.example ~all\"")),
        Arguments.of("shop.example", Type.MX, List.of("10 mail.shop.example.")),
        Arguments.of("shop.example", Type.CAA, List.of("0 issue \"letsencrypt.org\"")),
        Arguments.of("_sip._tcp.shop.example", Type.SRV, List.of("10 5 5060 sip.shop.example.")),
        Arguments.of("shop.example", Type.NS, List.of("ns1.shop.example.", "ns2.shop.example.")),
        Arguments.of("x.apps.shop.example", Type.A, List.of("192.0.2.30")),            // wildcard
        Arguments.of("paused.example", Type.A, List.of("192.0.2.40")),                 // paused zone, proxied A
        Arguments.of("www.paused.example", Type.A, List.of("origin.hosting.example.")));
    return rows.stream().flatMap(row -> Stream.of(Transport.values())
        .map(t -> Arguments.of(row.get()[0], row.get()[1], row.get()[2], t)));
  }

  @ParameterizedTest(name = "{0} {1} over {3}")
  @MethodSource("everyRecordType")
  void everyRecordTypeIsAnsweredAuthoritatively(String name, int type, List<String> expected, Transport transport)
      throws Exception {
    Message m = ask(transport, name, type);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(answerData(m)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theSoaIsMadeUpWithTheFirstNameServer(Transport transport) throws Exception {
    SOARecord soa = (SOARecord) ask(transport, "shop.example", Type.SOA).getSection(Section.ANSWER).get(0);
    assertThat(soa.rdataToString()).startsWith("ns1.shop.example. hostmaster.shop.example. ");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void pausingTheZoneByReloadTurnsProxiedRecordsIntoTheirRealContent(Transport transport) throws Exception {
    assertThat(answerData(ask(transport, "www.shop.example", Type.A))).containsExactly(EDGE_V4_1, EDGE_V4_2);
    config.set(TestZones.config(true));
    Message paused = ask(transport, "www.shop.example", Type.A);
    assertThat(answerData(paused)).containsExactly("192.0.2.1");
    assertThat(paused.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300);
    assertThat(answerData(ask(transport, "blog.shop.example", Type.CNAME))).containsExactly("origin.hosting.example.");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void namesOutsideOurZonesAreRefused(Transport transport) throws Exception {
    Message m = ask(transport, "www.example.org", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void nxdomainAndNodataCarryTheZoneSoa(Transport transport) throws Exception {
    Message nx = ask(transport, "nope.shop.example", Type.A);
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(nx.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    Message nodata = ask(transport, "direct.shop.example", Type.TXT);
    assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
    assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void aTruncatedUdpAnswerSetsTcAndTheTcpRetryGetsTheWholeAnswer() throws Exception {
    SimpleResolver udpOnly = resolver(Transport.UDP);
    udpOnly.setIgnoreTruncation(true);
    Message truncated = udpOnly.send(query("big.shop.example", Type.TXT));
    assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(truncated.getSection(Section.ANSWER)).hasSizeLessThan(TestZones.BIG_TXT_COUNT);

    Message retried = resolver(Transport.UDP).send(query("big.shop.example", Type.TXT)); // falls back to TCP on TC
    assertThat(retried.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(retried.getSection(Section.ANSWER)).hasSize(TestZones.BIG_TXT_COUNT);
  }

  @Test
  void garbageOverUdpGetsFormerrAndTheServerGoesOnAnswering() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, server.localAddress().getAddress())) {
      socket.setSoTimeout(3000);
      byte[] garbage = {0x42, 0x42, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'x'};
      socket.send(new DatagramPacket(garbage, garbage.length, server.localAddress()));
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      socket.receive(reply);
      Message formerr = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
      assertThat(formerr.getHeader().getID()).isEqualTo(0x4242);
      assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
      byte[] tooShort = {1, 2, 3};
      socket.send(new DatagramPacket(tooShort, tooShort.length, server.localAddress()));
    }
    assertThat(answerData(ask(Transport.UDP, "www.shop.example", Type.A))).containsExactly(EDGE_V4_1, EDGE_V4_2);
  }

  @Test
  void oneTcpConnectionCarriesSeveralQueriesAndGarbageGetsFormerr() throws Exception {
    try (Socket socket = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
      socket.setSoTimeout(3000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (String name : List.of("www.shop.example", "direct.shop.example")) {
        byte[] q = query(name, Type.A).toWire();
        out.writeShort(q.length);
        out.write(q);
      }
      byte[] garbage = {0x43, 0x43, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f};
      out.writeShort(garbage.length);
      out.write(garbage);
      out.flush();
      assertThat(answerData(readFrame(in))).containsExactly(EDGE_V4_1, EDGE_V4_2);
      assertThat(answerData(readFrame(in))).containsExactly("192.0.2.2");
      assertThat(readFrame(in).getRcode()).isEqualTo(Rcode.FORMERR);
    }
  }

  private static Message readFrame(DataInputStream in) throws Exception {
    byte[] frame = new byte[in.readUnsignedShort()];
    in.readFully(frame);
    return new Message(frame);
  }

  @Test
  void digGetsTheEdgeAddressesWithTheAuthoritativeFlagAndNoRecursion() throws Exception {
    String out = dig("www.shop.example", "A");
    assertThat(out).contains("status: NOERROR").containsPattern("flags: qr aa( rd)?;");
    assertThat(out).containsPattern("www\\.shop\\.example\\.\\s+300\\s+IN\\s+A\\s+" + EDGE_V4_1.replace(".", "\\."));
    assertThat(out).containsPattern("www\\.shop\\.example\\.\\s+300\\s+IN\\s+A\\s+" + EDGE_V4_2.replace(".", "\\."));
    assertThat(dig("www.example.org", "A")).contains("status: REFUSED");
    assertThat(dig("nope.shop.example", "A")).contains("status: NXDOMAIN").containsPattern("shop\\.example\\.\\s+300\\s+IN\\s+SOA");
  }

  @Test
  void digRetriesATruncatedAnswerOverTcpAndGetsItWhole() throws Exception {
    String out = dig("big.shop.example", "TXT");
    assertThat(out).contains("Truncated, retrying in TCP mode").contains("ANSWER: " + TestZones.BIG_TXT_COUNT + ",");
    assertThat(dig("big.shop.example", "TXT", "+tcp")).contains("ANSWER: " + TestZones.BIG_TXT_COUNT + ",");
  }

  private static String dig(String name, String type, String... options) throws Exception {
    Optional<Path> dig = ExternalCommand.find("dig");
    assumeTrue(dig.isPresent(), "dig is not installed (Debian: apt-get install dnsutils)");
    List<String> command = new java.util.ArrayList<>(List.of(dig.get().toString(),
        "@" + server.localAddress().getAddress().getHostAddress(), "-p", String.valueOf(server.localAddress().getPort()),
        "+time=3", "+tries=1", "+norecurse"));
    command.addAll(List.of(options));
    command.addAll(List.of(name, type));
    ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(15), command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }
}
