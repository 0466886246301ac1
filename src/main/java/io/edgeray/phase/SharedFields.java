package io.edgeray.phase;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.Map;

/**
 * Response fields that many answers begin with (a stored copy's head), encoded as HTTP/1.1 bytes
 * once. Each answer's headers start as a {@link #copy()}, which a phase may change like any
 * headers; the visitor's encoder asks {@link #writeTo} and, while the answer still begins with
 * exactly these fields (the same objects, in the same order), writes their bytes in one go and
 * encodes only the fields added after them. A shared field changed, moved or removed only means
 * that the whole head is encoded field by field, as any other: the bytes on the wire are the same
 * either way.
 *
 * <p>Why: a cache hit's head was copied and then encoded field by field on every hit, a tenth of
 * the event loop's time on 1 KiB hits.
 */
public final class SharedFields {
  /**
   * Without Netty's per-field checks: every field here was checked where it came in (the origin's
   * response, the edge's constants). The copies use the same validators, so that filling one takes
   * Netty's entry-by-entry path (the same object references, which {@link #writeTo} compares).
   */
  private static final DefaultHttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  private static final int COLON_SPACE = (':' << 8) | ' ';
  private static final int CRLF = ('\r' << 8) | '\n';

  private final HttpHeaders fields;
  private final CharSequence[] names;
  private final CharSequence[] values;
  private final byte[] encoded;

  private SharedFields(HttpHeaders fields) {
    this.fields = fields;
    int n = fields.size();
    names = new CharSequence[n];
    values = new CharSequence[n];
    ByteBuf buf = Unpooled.buffer(256);
    int i = 0;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields.iteratorCharSequence(); it.hasNext(); i++) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      names[i] = e.getKey();
      values[i] = e.getValue();
      writeField(buf, e.getKey(), e.getValue());
    }
    encoded = ByteBufUtil.getBytes(buf);
    buf.release();
  }

  /** The fields of {@code h} as they are now (a private copy is taken: later changes to h do not count). */
  public static SharedFields of(HttpHeaders h) {
    HttpHeaders own = UNCHECKED.newHeaders().add(h);
    return new SharedFields(own);
  }

  /** New headers holding these fields, free to change. */
  public HttpHeaders copy() {
    Copy c = new Copy(this);
    c.add(fields);
    return c;
  }

  /** The fields themselves, read only by convention (never change them). */
  public HttpHeaders fields() {
    return fields;
  }

  /** Bytes these fields keep beyond the headers themselves, for weighing a cache. */
  public int extraBytes() {
    return encoded.length + 16 * names.length + 48;
  }

  /**
   * Writes {@code h}'s fields as an HTTP/1.1 head's field lines when h is a {@link #copy()} that
   * still begins with its shared fields; false, having written nothing, otherwise.
   */
  public static boolean writeTo(HttpHeaders h, ByteBuf buf) {
    if (!(h instanceof Copy c)) return false;
    SharedFields s = c.shared;
    Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
    for (int i = 0; i < s.names.length; i++) {
      if (!it.hasNext()) return false;
      Map.Entry<CharSequence, CharSequence> e = it.next();
      if (e.getKey() != s.names[i] || e.getValue() != s.values[i]) return false;
    }
    buf.writeBytes(s.encoded);
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      writeField(buf, e.getKey(), e.getValue());
    }
    return true;
  }

  /** As Netty's HTTP/1.1 encoder writes a field: ASCII, a character above 255 as '?'. */
  private static void writeField(ByteBuf buf, CharSequence name, CharSequence value) {
    ByteBufUtil.writeAscii(buf, name);
    buf.writeShort(COLON_SPACE);
    ByteBufUtil.writeAscii(buf, value);
    buf.writeShort(CRLF);
  }

  private static final class Copy extends DefaultHttpHeaders {
    private final SharedFields shared;

    Copy(SharedFields shared) {
      super(nameValidator(), valueValidator());
      this.shared = shared;
    }

    private static DefaultHeaders.NameValidator<CharSequence> nameValidator() {
      return UNCHECKED.getNameValidator();
    }

    private static DefaultHeaders.ValueValidator<CharSequence> valueValidator() {
      return UNCHECKED.getValueValidator();
    }
  }
}
