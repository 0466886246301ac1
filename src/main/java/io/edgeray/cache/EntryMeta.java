package io.edgeray.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The head of a stored response: what the origin sent, when, under which key, and the request
 * values of its Vary fields. Immutable: the headers are a private copy that is never changed.
 *
 * @param storageKey the primary key plus the Vary values: one variant
 * @param url what a purge by file or an invalidation matches
 * @param tags lower-case Cache-Tag values, for a purge by tag
 * @param bodyLength the body's length in bytes (-1 while it is still arriving)
 */
public record EntryMeta(
    String storageKey,
    String primaryKey,
    String zone,
    String url,
    int status,
    HttpHeaders headers,
    Instant requestTime,
    Instant responseTime,
    List<String> varyNames,
    List<String> varyValues,
    Set<String> tags,
    long bodyLength,
    EntryFacts facts) {
  private static final int VERSION = 1;
  /**
   * Stored heads, without Netty's per-field name check: every name in them was checked where it
   * came in (the origin's response, the edge's own constants).
   */
  private static final HttpHeadersFactory HEADS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  /**
   * {@code facts}: null for a new head (stored, revalidated, read from disk), which gets a private
   * copy and its facts worked out here; or the facts of another EntryMeta of this same head.
   */
  public EntryMeta {
    if (facts == null || !facts.madeFrom(headers)) {
      headers = copyOf(headers);
      facts = EntryFacts.of(status, headers, requestTime, responseTime);
    }
    varyNames = List.copyOf(varyNames);
    varyValues = List.copyOf(varyValues);
    tags = Set.copyOf(tags);
  }

  public EntryMeta(String storageKey, String primaryKey, String zone, String url, int status, HttpHeaders headers,
      Instant requestTime, Instant responseTime, List<String> varyNames, List<String> varyValues, Set<String> tags,
      long bodyLength) {
    this(storageKey, primaryKey, zone, url, status, headers, requestTime, responseTime, varyNames, varyValues, tags, bodyLength,
        null);
  }

  /** The same head with its body's length known: its facts stay. */
  public EntryMeta withBodyLength(long length) {
    return new EntryMeta(storageKey, primaryKey, zone, url, status, headers, requestTime, responseTime, varyNames, varyValues, tags,
        length, facts);
  }

  public EntryMeta withHeaders(HttpHeaders newHeaders, Instant newRequestTime, Instant newResponseTime) {
    return new EntryMeta(storageKey, primaryKey, zone, url, status, newHeaders, newRequestTime, newResponseTime, varyNames,
        varyValues, tags(newHeaders), bodyLength);
  }

  /** A copy of {@code h} that a stored head can be: see {@link #HEADS}. */
  static HttpHeaders copyOf(HttpHeaders h) {
    return HEADS.newHeaders().add(h);
  }

  /** The Cache-Tag values of a response, lower case (Cloudflare's header; comma separated). */
  public static Set<String> tags(HttpHeaders h) {
    Set<String> tags = new LinkedHashSet<>();
    for (String line : h.getAll("Cache-Tag")) {
      for (String t : line.split(",")) {
        String s = t.trim().toLowerCase(Locale.ROOT);
        if (!s.isEmpty()) tags.add(s);
      }
    }
    return tags;
  }

  /** A rough size in memory, for weighing the memory tier. */
  int weight() {
    return 256 + storageKey.length() * 2 + url.length() * 2 + weight(headers) + facts.extraWeight();
  }

  static int weight(HttpHeaders h) {
    int w = 0;
    for (Map.Entry<String, String> e : h) w += 64 + (e.getKey().length() + e.getValue().length()) * 2;
    return w;
  }

  byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(VERSION);
      write(out, storageKey);
      write(out, primaryKey);
      write(out, zone);
      write(out, url);
      out.writeInt(status);
      out.writeInt(headers.size());
      for (Iterator<Map.Entry<String, String>> it = headers.iteratorAsString(); it.hasNext(); ) {
        Map.Entry<String, String> e = it.next();
        write(out, e.getKey());
        write(out, e.getValue());
      }
      out.writeLong(requestTime.toEpochMilli());
      out.writeLong(responseTime.toEpochMilli());
      writeList(out, varyNames);
      writeList(out, varyValues);
      writeList(out, List.copyOf(tags));
      out.writeLong(bodyLength);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array does not fail
    }
  }

  static EntryMeta decode(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int version = in.readInt();
    if (version != VERSION) throw new IOException("entry format " + version + ", expected " + VERSION);
    String storageKey = read(in);
    String primaryKey = read(in);
    String zone = read(in);
    String url = read(in);
    int status = in.readInt();
    int count = in.readInt();
    if (count < 0 || count > 10_000) throw new IOException("bad header count " + count);
    HttpHeaders headers = new DefaultHttpHeaders(false);
    for (int i = 0; i < count; i++) headers.add(read(in), read(in));
    Instant requestTime = Instant.ofEpochMilli(in.readLong());
    Instant responseTime = Instant.ofEpochMilli(in.readLong());
    List<String> varyNames = readList(in);
    List<String> varyValues = readList(in);
    List<String> tags = readList(in);
    long bodyLength = in.readLong();
    if (varyNames.size() != varyValues.size()) throw new IOException("vary names and values differ in number");
    return new EntryMeta(storageKey, primaryKey, zone, url, status, headers, requestTime, responseTime, varyNames, varyValues,
        new LinkedHashSet<>(tags), bodyLength);
  }

  private static void write(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 20) throw new IOException("bad string length " + n);
    byte[] b = in.readNBytes(n);
    if (b.length != n) throw new IOException("truncated");
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeList(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) write(out, s);
  }

  private static List<String> readList(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 10_000) throw new IOException("bad list length " + n);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(read(in));
    return out;
  }
}
