package io.edgeray.dns;

import io.edgeray.config.EdgeConfig;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Packet in, packet out: the part of the server that is not sockets. It takes the config anew for
 * every query (a reload takes effect on the next packet), decides what to do with packets that
 * are not queries, and cuts UDP answers to the size the client can take.
 */
final class PacketAnswerer {
  private static final Logger log = LoggerFactory.getLogger(PacketAnswerer.class);
  private static final int HEADER_LENGTH = 12;
  private static final int PLAIN_UDP_LIMIT = 512;
  private static final int TCP_LIMIT = 65535;

  enum Transport { UDP, TCP }

  private final Supplier<EdgeConfig> configs;
  private final BiConsumer<String, String> answered;
  private volatile ZoneAnswers answers;

  PacketAnswerer(Supplier<EdgeConfig> configs) {
    this(configs, (transport, rcode) -> {});
  }

  PacketAnswerer(Supplier<EdgeConfig> configs, BiConsumer<String, String> answered) {
    this.configs = configs;
    this.answered = answered;
  }

  /** The reply to send, or null to send nothing. */
  byte[] reply(byte[] packet, Transport transport) {
    byte[] reply = answer(packet, transport);
    // the rcode's low four bits are in the fourth header byte; extended rcodes are not used here
    answered.accept(transport == Transport.TCP ? "tcp" : "udp", reply == null ? "none" : Rcode.string(reply[3] & 0x0f));
    return reply;
  }

  private byte[] answer(byte[] packet, Transport transport) {
    if (packet.length < HEADER_LENGTH) return null; // not even an id to answer to
    if ((packet[2] & 0x80) != 0) return null; // a response: answering it could start a loop
    Message query;
    try {
      query = new Message(packet);
    } catch (Exception e) {
      log.debug("malformed DNS query ({} bytes): {}", packet.length, e.toString());
      return formatError(packet);
    }
    Message response;
    try {
      response = currentAnswers().answer(query);
    } catch (RuntimeException e) {
      log.warn("DNS query {} failed; answering SERVFAIL", query.getQuestion(), e);
      response = serverFailure(query);
    }
    return response.toWire(transport == Transport.TCP ? TCP_LIMIT : udpLimit(query));
  }

  /** 512 bytes, or what the client offered in EDNS, but no more than we offer (no fragments). */
  private static int udpLimit(Message query) {
    OPTRecord edns = query.getOPT();
    if (edns == null) return PLAIN_UDP_LIMIT;
    return Math.max(PLAIN_UDP_LIMIT, Math.min(edns.getPayloadSize(), ZoneAnswers.EDNS_PAYLOAD));
  }

  private ZoneAnswers currentAnswers() {
    EdgeConfig config = configs.get();
    ZoneAnswers current = answers;
    if (current == null || current.config() != config) {
      current = new ZoneAnswers(config);
      answers = current;
    }
    return current;
  }

  /** FORMERR with the query's id and opcode and nothing else: the rest could not be read. */
  private static byte[] formatError(byte[] packet) {
    Header header = new Header(((packet[0] & 0xff) << 8) | (packet[1] & 0xff));
    header.setFlag(Flags.QR);
    header.setOpcode((packet[2] >> 3) & 0xf);
    header.setRcode(Rcode.FORMERR);
    Message response = new Message();
    response.setHeader(header);
    return response.toWire(PLAIN_UDP_LIMIT);
  }

  private static Message serverFailure(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setRcode(Rcode.SERVFAIL);
    if (query.getQuestion() != null) response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }
}
