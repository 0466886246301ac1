package io.edgeray.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A UDP DNS server on 127.0.0.1 that knows only the A records it is given and answers NXDOMAIN
 * for every other name, so a test can make a name not resolve without any packet leaving the
 * machine. A known name asked for another type (AAAA) gets an empty NOERROR answer, as a real
 * authoritative server would. UDP only: its answers are far too small to need TCP.
 */
public final class TinyDns implements AutoCloseable {
  private static final long TTL_SECONDS = 60;

  private final Map<Name, List<InetAddress>> aRecords = new HashMap<>();
  private final DatagramSocket socket;
  private final Thread server;
  private final List<Question> questions = new ArrayList<>(); // guarded by itself

  /** A question the server was asked. */
  public record Question(String name, String type) {}

  private TinyDns(Map<String, String> a) throws IOException {
    for (Map.Entry<String, String> e : a.entrySet()) {
      InetAddress address = InetAddress.getByName(e.getValue()); // an IP literal: no lookup happens
      if (address.getAddress().length != 4) throw new IllegalArgumentException("not IPv4: " + e.getValue());
      aRecords.computeIfAbsent(absolute(e.getKey()), k -> new ArrayList<>()).add(address);
    }
    socket = new DatagramSocket(new InetSocketAddress(Ports.LOOPBACK, 0));
    server = new Thread(this::serve, "tiny-dns-" + socket.getLocalPort());
    server.setDaemon(true);
    server.start();
  }

  /** Serves {@code name -> IPv4 literal}, e.g. {@code Map.of("origin.shop.example", "127.0.0.1")}. */
  public static TinyDns start(Map<String, String> aRecords) throws IOException {
    return new TinyDns(aRecords);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
  }

  /** Every question asked so far, names without the trailing dot, lower case. */
  public List<Question> questions() {
    synchronized (questions) {
      return List.copyOf(questions);
    }
  }

  private void serve() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(packet);
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        continue;
      }
      byte[] reply;
      try {
        reply = answer(new Message(Arrays.copyOf(packet.getData(), packet.getLength())));
      } catch (IOException malformed) {
        continue; // not DNS: a real server would drop it too
      }
      try {
        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
      } catch (IOException e) {
        // the asker is gone; nothing to do
      }
    }
  }

  private byte[] answer(Message query) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) reply.getHeader().setFlag(Flags.RD);
    Record question = query.getQuestion();
    if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
      reply.getHeader().setRcode(Rcode.FORMERR);
      return reply.toWire();
    }
    reply.addRecord(question, Section.QUESTION);
    Name name = question.getName();
    synchronized (questions) {
      questions.add(new Question(name.toString(true).toLowerCase(Locale.ROOT), Type.string(question.getType())));
    }
    List<InetAddress> addresses = aRecords.get(name.canonicalize());
    if (addresses == null) {
      reply.getHeader().setRcode(Rcode.NXDOMAIN);
    } else if (question.getType() == Type.A || question.getType() == Type.ANY) {
      for (InetAddress a : addresses) reply.addRecord(new ARecord(name, DClass.IN, TTL_SECONDS, a), Section.ANSWER);
    }
    return reply.toWire();
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".").canonicalize();
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      server.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
