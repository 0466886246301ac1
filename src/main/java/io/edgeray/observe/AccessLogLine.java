package io.edgeray.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import com.fasterxml.jackson.core.JsonEncoding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Map;

/** Encodes a ray as one JSON line. Field names are a public interface: tools parse them. */
public final class AccessLogLine {
  private static final JsonFactory JSON = new JsonFactory();

  private AccessLogLine() {}

  public static void write(RaySummary r, Writer out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(r, g);
    }
    out.write('\n');
  }

  /** The same line as UTF-8 bytes: what the access log writes, so it knows each line's offset in the file. */
  public static void write(RaySummary r, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      write(r, g);
    }
    out.write('\n');
  }

  /**
   * Lines one after another into one stream with one generator, for a writer thread that encodes
   * every ray: a generator per line cost about a kilobyte of buffers and state, and
   * {@link java.time.Instant#toString} a formatter's worth; here the time's text up to the second
   * is kept while the second lasts. The bytes are the same as {@link #write(RaySummary, OutputStream)}'s.
   * Not thread-safe: one per writer.
   */
  public static final class Encoder {
    private final JsonGenerator g;
    private final OutputStream out;
    private final char[] time = new char[40];
    private long second = Long.MIN_VALUE;
    private int secondLength;

    public Encoder(OutputStream out) throws IOException {
      this.out = out;
      this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
      g.setRootValueSeparator(null); // lines are separated by the newline written below
    }

    /** Writes {@code r}'s line, newline included, through to the stream. */
    public void write(RaySummary r) throws IOException {
      AccessLogLine.write(r, g, this);
      g.flush();
      out.write('\n');
    }

    /** As {@link java.time.Instant#toString}: ISO-8601 in UTC, the fraction in groups of three digits, none when zero. */
    private void writeTime(java.time.Instant t) throws IOException {
      if (t.getEpochSecond() != second) {
        String text = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(); // "...:SSZ"
        secondLength = text.length() - 1;
        if (secondLength + 11 > time.length) { // a year beyond what this buffer holds: as Instant writes it
          g.writeStringField("time", t.toString());
          return;
        }
        text.getChars(0, secondLength, time, 0);
        second = t.getEpochSecond();
      }
      int n = secondLength;
      int nanos = t.getNano();
      if (nanos != 0) {
        int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos;
        time[n++] = '.';
        for (int i = n + digits - 1; i >= n; i--) {
          time[i] = (char) ('0' + value % 10);
          value /= 10;
        }
        n += digits;
      }
      time[n++] = 'Z';
      g.writeFieldName("time");
      g.writeString(time, 0, n);
    }
  }

  private static void write(RaySummary r, JsonGenerator g) throws IOException {
    write(r, g, null);
  }

  private static void write(RaySummary r, JsonGenerator g, Encoder encoder) throws IOException {
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    if (encoder != null) encoder.writeTime(r.time()); else g.writeStringField("time", r.time().toString());
    g.writeStringField("ray", r.ray());
    g.writeStringField("node", r.node());
    g.writeStringField("client_ip", r.clientIp());
    g.writeStringField("method", r.method());
    g.writeStringField("host", r.host());
    g.writeStringField("path", r.path());
    g.writeStringField("zone", r.zone());
    g.writeNumberField("status", r.status());
    if (r.originStatus() > 0) g.writeNumberField("origin_status", r.originStatus()); else g.writeNullField("origin_status");
    g.writeStringField("failure", r.error() == null ? null : r.error().name());
    g.writeStringField("proxy_status", r.error() == null ? null : r.error().proxyStatus());
    if (r.error() != null && r.error().code() != r.error().status()) g.writeNumberField("edge_code", r.error().code());
    g.writeStringField("detail", r.detail());
    if (r.abort() != null) g.writeStringField("abort", r.abort());
    g.writeStringField("origin_addr", r.originAddr());
    g.writeArrayFieldStart("attempts");
    for (Attempt a : r.attempts()) {
      g.writeStartObject();
      g.writeStringField("origin", a.origin());
      if (a.poolOrigin() != null) g.writeStringField("pool_origin", a.poolOrigin());
      g.writeStringField("failure", a.failure() == null ? null : a.failure().name());
      if (a.detail() != null) g.writeStringField("detail", a.detail());
      g.writeNumberField("connect_ms", a.connectMillis());
      g.writeBooleanField("reused", a.reused());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("bytes_in", r.bytesIn());
    g.writeNumberField("bytes_out", r.bytesOut());
    g.writeObjectFieldStart("timings");
    g.writeNumberField("total_ms", round(r.totalMillis()));
    writeTiming(g, "connect_ms", r.connectMillis());
    writeTiming(g, "ttfb_ms", r.ttfbMillis());
    g.writeEndObject();
    g.writeStringField("user_agent", r.userAgent());
    if (r.doctor()) g.writeBooleanField("doctor", true);
    for (Map.Entry<String, Object> f : r.fields().entrySet()) {
      g.writeFieldName(f.getKey());
      writeValue(g, f.getValue());
    }
    g.writeEndObject();
  }

  /** A phase's log field: a string, number, boolean, null, or a map or list of those. */
  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> list) {
      g.writeStartArray();
      for (Object o : list) writeValue(g, o);
      g.writeEndArray();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else {
      g.writeString(v.toString());
    }
  }

  private static void writeTiming(JsonGenerator g, String name, double ms) throws IOException {
    if (ms < 0) g.writeNullField(name); else g.writeNumberField(name, round(ms));
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
