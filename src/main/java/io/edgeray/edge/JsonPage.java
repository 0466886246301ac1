package io.edgeray.edge;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.failure.EdgeError;
import io.netty.buffer.ByteBuf;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One error's JSON answer (for clients that ask for JSON), compiled once: Jackson writes the
 * object once with a marker string in place of each fact that changes per ray, and the bytes
 * between the markers are kept; a ray's facts are quoted by Jackson's own string encoder, so the
 * answer is byte for byte what Jackson would write for the whole object.
 */
final class JsonPage {
  /** What changes from ray to ray; a text is a slot only when it names the host or the ray. */
  private enum Slot { RAY, NODE, HOST, CLIENT_IP, TIME, DETAIL, VISITOR_WHAT, VISITOR_DO, OWNER_WHAT, OWNER_DO }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
  private static final Pattern TAG = Pattern.compile("<[^>]+>");
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private final byte[][] literals; // literals[i] comes before slots[i]; the last one ends the object
  private final Slot[] slots;
  private final Map<String, String> texts;

  private JsonPage(byte[][] literals, Slot[] slots, Map<String, String> texts) {
    this.literals = literals;
    this.slots = slots;
    this.texts = texts;
  }

  /** The page for {@code e}, with the {@code detail} key or without it. */
  static JsonPage compile(EdgeError e, Map<String, String> texts, boolean withDetail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", e.status());
    m.put("code", e.code());
    m.put("title", e.title());
    m.put("error", e.name().toLowerCase());
    m.put("proxy_status", e.proxyStatus());
    m.put("culprit", e.culprit().name().toLowerCase());
    m.put("ray", marker(Slot.RAY));
    m.put("node", marker(Slot.NODE));
    m.put("host", marker(Slot.HOST));
    m.put("client_ip", marker(Slot.CLIENT_IP));
    m.put("time", marker(Slot.TIME));
    m.put("visitor", advice(texts, "visitor_what", Slot.VISITOR_WHAT, "visitor_do", Slot.VISITOR_DO));
    m.put("owner", advice(texts, "owner_what", Slot.OWNER_WHAT, "owner_do", Slot.OWNER_DO));
    if (withDetail) m.put("detail", marker(Slot.DETAIL));
    if (e.retryAfterSeconds() > 0) m.put("retry_after", e.retryAfterSeconds());
    byte[] whole;
    try {
      whole = JSON.writeValueAsBytes(m);
    } catch (JsonProcessingException x) {
      throw new UncheckedIOException(x);
    }
    List<byte[]> literals = new ArrayList<>();
    List<Slot> slots = new ArrayList<>();
    byte[] open = "\"\\u0000".getBytes(StandardCharsets.US_ASCII); // how Jackson writes a marker's start
    int at = 0;
    for (int i = indexOf(whole, open, 0); i >= 0; i = indexOf(whole, open, at)) {
      literals.add(Arrays.copyOfRange(whole, at, i));
      slots.add(Slot.values()[whole[i + open.length] - 'A']);
      at = i + open.length + 2; // the marker's letter and closing quote
    }
    literals.add(Arrays.copyOfRange(whole, at, whole.length));
    return new JsonPage(literals.toArray(new byte[0][]), slots.toArray(new Slot[0]), texts);
  }

  /** The answer for these facts in one buffer of its exact size, from {@code alloc}. */
  ByteBuf render(ErrorPage.Facts f, io.netty.buffer.ByteBufAllocator alloc) {
    byte[][] values = new byte[slots.length][];
    int n = 0;
    for (int i = 0; i < slots.length; i++) {
      values[i] = value(slots[i], f);
      n += literals[i].length + values[i].length + (values[i] == NULL ? 0 : 2);
    }
    n += literals[slots.length].length;
    ByteBuf out = alloc.buffer(n, n);
    for (int i = 0; i < slots.length; i++) {
      out.writeBytes(literals[i]);
      if (values[i] == NULL) {
        out.writeBytes(NULL);
      } else {
        out.writeByte('"').writeBytes(values[i]).writeByte('"');
      }
    }
    out.writeBytes(literals[slots.length]);
    return out;
  }

  /** A fact's quoted contents (without the quotes), or {@link #NULL}. */
  private byte[] value(Slot s, ErrorPage.Facts f) {
    switch (s) {
      case RAY: return quoted(f.ray());
      case NODE: return quoted(f.node());
      case HOST: return quoted(f.host());
      case CLIENT_IP: return quoted(f.clientIp());
      case TIME: return quoted(f.time().toString());
      case DETAIL: return quoted(f.ownerDetail());
      case VISITOR_WHAT: return quoted(plain(fill(texts.get("visitor_what"), f)));
      case VISITOR_DO: return quoted(plain(fill(texts.get("visitor_do"), f)));
      case OWNER_WHAT: return quoted(plain(fill(texts.get("owner_what"), f)));
      case OWNER_DO: return quoted(plain(fill(texts.get("owner_do"), f)));
      default: throw new AssertionError(s);
    }
  }

  /**
   * Jackson's string encoder quotes as its generator does, but refuses a lone surrogate, which
   * the generator writes: a string with surrogates goes through the generator.
   */
  private static byte[] quoted(String s) {
    if (s == null) return NULL;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        try {
          byte[] q = JSON.writeValueAsBytes(s);
          return Arrays.copyOfRange(q, 1, q.length - 1);
        } catch (JsonProcessingException x) {
          throw new UncheckedIOException(x);
        }
      }
    }
    return QUOTE.quoteAsUTF8(s);
  }

  private static Map<String, String> advice(Map<String, String> texts, String what, Slot whatSlot, String todo, Slot todoSlot) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("what_happened", constantOr(texts.get(what), whatSlot));
    m.put("what_to_do", constantOr(texts.get(todo), todoSlot));
    return m;
  }

  /** A text without {host} or {ray} reads the same on every ray. */
  private static String constantOr(String text, Slot slot) {
    return text.contains("{host}") || text.contains("{ray}") ? marker(slot) : plain(text);
  }

  private static String marker(Slot s) {
    return "\u0000" + (char) ('A' + s.ordinal());
  }

  /** Texts are our own and may hold markup; only the host and ray, which come from outside, are escaped. */
  private static String fill(String text, ErrorPage.Facts f) {
    return text.replace("{host}", HtmlPage.escape(f.host() == null ? "" : f.host())).replace("{ray}", HtmlPage.escape(f.ray()));
  }

  private static String plain(String html) {
    return TAG.matcher(html).replaceAll("").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'");
  }

  private static int indexOf(byte[] in, byte[] what, int from) {
    outer:
    for (int i = from; i <= in.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) if (in[i + j] != what[j]) continue outer;
      return i;
    }
    return -1;
  }
}
