package io.edgeray.edge;

import io.edgeray.failure.EdgeError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One error's HTML page, compiled once: everything that is the same on every ray (the template,
 * code, title, boxes, texts) is bytes; only the ray's own facts are slots, written HTML-escaped
 * straight into the body buffer, whose exact size is known before it is allocated.
 */
final class HtmlPage {
  /** What changes from ray to ray. */
  private enum Slot { HOST, HOST_OR_WORD, TITLE_HOST, NODE, RAY, CLIENT_IP, TIME, OWNER_DETAIL }

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final int TIME_LENGTH = "2026-01-01 00:00:00 UTC".length();
  private static final long FIRST_OF_YEAR_1 = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
  private static final long FIRST_OF_YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
  private static final byte[] WORD_HOST = ascii("Host");
  private static final byte[] TITLE_SEPARATOR = ascii(" | ");
  private static final byte[] DETAIL_OPEN = ascii("<p><code>");
  private static final byte[] DETAIL_CLOSE = ascii("</code></p>");
  /** The page's time for the last second one was rendered in: every page of that second shares it. */
  private static volatile TimeText lastTime = new TimeText(Long.MIN_VALUE, new byte[0]);

  private record TimeText(long epochSecond, byte[] text) {}

  private final byte[][] literals; // literals[i] comes before slots[i]; the last one ends the page
  private final Slot[] slots;
  private final int literalBytes;

  private HtmlPage(List<byte[]> literals, List<Slot> slots) {
    this.literals = literals.toArray(new byte[0][]);
    this.slots = slots.toArray(new Slot[0]);
    int n = 0;
    for (byte[] l : this.literals) n += l.length;
    this.literalBytes = n;
  }

  /**
   * {@code parts} is the template split at its {{slots}} (even: literal, odd: slot name); {@code
   * texts} the error's texts, whose {host} and {ray} become slots too.
   */
  static HtmlPage compile(EdgeError e, List<String> parts, Map<String, String> texts) {
    Builder b = new Builder();
    EdgeError.Culprit c = e.culprit();
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      if (i % 2 == 0) {
        b.literal(p);
        continue;
      }
      switch (p) {
        case "host" -> b.slot(Slot.HOST_OR_WORD);
        case "titleHost" -> b.slot(Slot.TITLE_HOST);
        case "code" -> b.literal(String.valueOf(e.code()));
        case "title" -> b.literal(escape(e.title()));
        case "time" -> b.slot(Slot.TIME);
        case "node" -> b.slot(Slot.NODE);
        case "browserClass" -> b.literal(c == EdgeError.Culprit.BROWSER ? "error" : "ok");
        case "browserState" -> b.literal(c == EdgeError.Culprit.BROWSER ? "Error" : "Working");
        case "edgeClass" -> b.literal(c == EdgeError.Culprit.EDGE ? "error" : "ok");
        case "edgeState" -> b.literal(c == EdgeError.Culprit.EDGE ? "Error" : "Working");
        case "hostClass" -> b.literal(c == EdgeError.Culprit.HOST ? "error" : "ok");
        case "hostState" -> b.literal(c == EdgeError.Culprit.HOST ? "Error" : "Working");
        case "visitorWhat" -> b.text(texts.get("visitor_what"));
        case "visitorDo" -> b.text(texts.get("visitor_do"));
        case "ownerWhat" -> b.text(texts.get("owner_what"));
        case "ownerDo" -> b.text(texts.get("owner_do"));
        case "ownerDetail" -> b.slot(Slot.OWNER_DETAIL);
        case "ray" -> b.slot(Slot.RAY);
        case "clientIp" -> b.slot(Slot.CLIENT_IP);
        case "proxyStatus" -> b.literal(e.proxyStatus());
        default -> b.literal("{{" + p + "}}");
      }
    }
    return b.build();
  }

  /** The page's length in bytes for these facts. */
  int length(ErrorPage.Facts f) {
    int n = literalBytes;
    for (Slot s : slots) n += length(s, f);
    return n;
  }

  /** Writes the page; {@code out} must have room for {@link #length}. */
  void writeTo(ByteBuf out, ErrorPage.Facts f) {
    for (int i = 0; i < slots.length; i++) {
      out.writeBytes(literals[i]);
      write(out, slots[i], f);
    }
    out.writeBytes(literals[slots.length]);
  }

  private static int length(Slot s, ErrorPage.Facts f) {
    switch (s) {
      case HOST: return escapedLength(hostOrEmpty(f));
      case HOST_OR_WORD: return hasHost(f) ? escapedLength(f.host()) : WORD_HOST.length;
      case TITLE_HOST: return hasHost(f) ? escapedLength(f.host()) + TITLE_SEPARATOR.length : 0;
      case NODE: return escapedLength(f.node());
      case RAY: return escapedLength(f.ray());
      case CLIENT_IP: return escapedLength(f.clientIp());
      case TIME: return inFourDigitYears(f.time()) ? TIME_LENGTH : UTC.format(f.time()).length();
      case OWNER_DETAIL:
        return f.ownerDetail() == null ? 0 : DETAIL_OPEN.length + escapedLength(f.ownerDetail()) + DETAIL_CLOSE.length;
      default: throw new AssertionError(s);
    }
  }

  private static void write(ByteBuf out, Slot s, ErrorPage.Facts f) {
    switch (s) {
      case HOST -> writeEscaped(out, hostOrEmpty(f));
      case HOST_OR_WORD -> {
        if (hasHost(f)) writeEscaped(out, f.host());
        else out.writeBytes(WORD_HOST);
      }
      case TITLE_HOST -> {
        if (hasHost(f)) writeEscaped(out, f.host()).writeBytes(TITLE_SEPARATOR);
      }
      case NODE -> writeEscaped(out, f.node());
      case RAY -> writeEscaped(out, f.ray());
      case CLIENT_IP -> writeEscaped(out, f.clientIp());
      case TIME -> writeTime(out, f.time());
      case OWNER_DETAIL -> {
        if (f.ownerDetail() != null) writeEscaped(out.writeBytes(DETAIL_OPEN), f.ownerDetail()).writeBytes(DETAIL_CLOSE);
      }
      default -> throw new AssertionError(s);
    }
  }

  private static boolean hasHost(ErrorPage.Facts f) {
    return f.host() != null && !f.host().isEmpty();
  }

  private static String hostOrEmpty(ErrorPage.Facts f) {
    return f.host() == null ? "" : f.host();
  }

  /** "yyyy-MM-dd HH:mm:ss UTC" has 23 characters only from year 1 to 9999 (the year of era). */
  private static boolean inFourDigitYears(Instant t) {
    return t.getEpochSecond() >= FIRST_OF_YEAR_1 && t.getEpochSecond() < FIRST_OF_YEAR_10000;
  }

  private static void writeTime(ByteBuf out, Instant t) {
    TimeText last = lastTime;
    if (last.epochSecond() != t.getEpochSecond()) {
      last = new TimeText(t.getEpochSecond(), UTC.format(t).getBytes(StandardCharsets.US_ASCII));
      if (last.text().length == TIME_LENGTH) lastTime = last;
    }
    out.writeBytes(last.text());
  }

  /** The text's bytes in UTF-8 after HTML escaping: what {@link #writeEscaped} writes. */
  static int escapedLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        int end = nonAsciiEnd(s, i);
        n += ByteBufUtil.utf8Bytes(s, i, end);
        i = end - 1;
        continue;
      }
      byte[] entity = entity(c);
      n += entity == null ? 1 : entity.length;
    }
    return n;
  }

  /**
   * Writes {@code s} HTML-escaped, in UTF-8. Netty's encoder writes what the JDK's does (a lone
   * surrogate as '?'), except after a lone high surrogate that a non-ASCII character follows,
   * which no host, address or ray id holds.
   */
  static ByteBuf writeEscaped(ByteBuf out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        int end = nonAsciiEnd(s, i);
        ByteBufUtil.reserveAndWriteUtf8(out, s, i, end, ByteBufUtil.utf8Bytes(s, i, end));
        i = end - 1;
        continue;
      }
      byte[] entity = entity(c);
      if (entity == null) out.writeByte(c);
      else out.writeBytes(entity);
    }
    return out;
  }

  /** The escaped text as a string, for what is compiled into the page once. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      byte[] entity = c < 0x80 ? entity(c) : null;
      if (entity == null) b.append(c);
      else b.append(new String(entity, StandardCharsets.US_ASCII));
    }
    return b.toString();
  }

  private static final byte[] LT = ascii("&lt;");
  private static final byte[] GT = ascii("&gt;");
  private static final byte[] AMP = ascii("&amp;");
  private static final byte[] QUOT = ascii("&quot;");
  private static final byte[] APOS = ascii("&#39;");

  private static byte[] entity(char c) {
    switch (c) {
      case '<': return LT;
      case '>': return GT;
      case '&': return AMP;
      case '"': return QUOT;
      case '\'': return APOS;
      default: return null;
    }
  }

  /** Where the run of non-ASCII characters from {@code i} ends (a surrogate pair is never split: both halves are non-ASCII). */
  private static int nonAsciiEnd(String s, int i) {
    int end = i + 1;
    while (end < s.length() && s.charAt(end) >= 0x80) end++;
    return end;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final class Builder {
    private final List<byte[]> literals = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();

    void literal(String s) {
      literal.append(s);
    }

    void slot(Slot s) {
      literals.add(literal.toString().getBytes(StandardCharsets.UTF_8));
      literal.setLength(0);
      slots.add(s);
    }

    /** A text of ours (it may hold markup): only {host} and {ray}, which come from outside, are slots. */
    void text(String text) {
      int at = 0;
      while (true) {
        int open = text.indexOf('{', at);
        if (open < 0) break;
        if (text.startsWith("{host}", open)) {
          literal(text.substring(at, open));
          slot(Slot.HOST);
          at = open + 6;
        } else if (text.startsWith("{ray}", open)) {
          literal(text.substring(at, open));
          slot(Slot.RAY);
          at = open + 5;
        } else {
          literal(text.substring(at, open + 1));
          at = open + 1;
        }
      }
      literal(text.substring(at));
    }

    HtmlPage build() {
      literals.add(literal.toString().getBytes(StandardCharsets.UTF_8));
      return new HtmlPage(literals, slots);
    }
  }
}
