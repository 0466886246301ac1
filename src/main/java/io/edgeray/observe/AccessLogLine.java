package io.edgeray.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Map;

/** Encodes a ray as one JSON line. Field names are a public interface: tools parse them. */
public final class AccessLogLine {
  private static final JsonFactory JSON = new JsonFactory();
  // the field names, encoded once: Jackson then copies their bytes instead of escaping each name on every line
  private static final SerializedString F_TIME = new SerializedString("time");
  private static final SerializedString F_RAY = new SerializedString("ray");
  private static final SerializedString F_NODE = new SerializedString("node");
  private static final SerializedString F_CLIENT_IP = new SerializedString("client_ip");
  private static final SerializedString F_METHOD = new SerializedString("method");
  private static final SerializedString F_HOST = new SerializedString("host");
  private static final SerializedString F_PATH = new SerializedString("path");
  private static final SerializedString F_ZONE = new SerializedString("zone");
  private static final SerializedString F_STATUS = new SerializedString("status");
  private static final SerializedString F_ORIGIN_STATUS = new SerializedString("origin_status");
  private static final SerializedString F_FAILURE = new SerializedString("failure");
  private static final SerializedString F_PROXY_STATUS = new SerializedString("proxy_status");
  private static final SerializedString F_EDGE_CODE = new SerializedString("edge_code");
  private static final SerializedString F_DETAIL = new SerializedString("detail");
  private static final SerializedString F_ABORT = new SerializedString("abort");
  private static final SerializedString F_ORIGIN_ADDR = new SerializedString("origin_addr");
  private static final SerializedString F_ATTEMPTS = new SerializedString("attempts");
  private static final SerializedString F_ORIGIN = new SerializedString("origin");
  private static final SerializedString F_POOL_ORIGIN = new SerializedString("pool_origin");
  private static final SerializedString F_CONNECT_MS = new SerializedString("connect_ms");
  private static final SerializedString F_REUSED = new SerializedString("reused");
  private static final SerializedString F_BYTES_IN = new SerializedString("bytes_in");
  private static final SerializedString F_BYTES_OUT = new SerializedString("bytes_out");
  private static final SerializedString F_TIMINGS = new SerializedString("timings");
  private static final SerializedString F_TOTAL_MS = new SerializedString("total_ms");
  private static final SerializedString F_USER_AGENT = new SerializedString("user_agent");
  private static final SerializedString F_DOCTOR = new SerializedString("doctor");
  private static final SerializedString F_TTFB_MS = new SerializedString("ttfb_ms");

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
      g.writeFieldName(F_TIME);
      g.writeString(time, 0, n);
    }
  }

  private static void write(RaySummary r, JsonGenerator g) throws IOException {
    write(r, g, null);
  }

  private static void write(RaySummary r, JsonGenerator g, Encoder encoder) throws IOException {
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    if (encoder != null) encoder.writeTime(r.time()); else string(g, F_TIME, r.time().toString());
    string(g, F_RAY, r.ray());
    string(g, F_NODE, r.node());
    string(g, F_CLIENT_IP, r.clientIp());
    string(g, F_METHOD, r.method());
    string(g, F_HOST, r.host());
    string(g, F_PATH, r.path());
    string(g, F_ZONE, r.zone());
    number(g, F_STATUS, r.status());
    if (r.originStatus() > 0) number(g, F_ORIGIN_STATUS, r.originStatus()); else nullField(g, F_ORIGIN_STATUS);
    string(g, F_FAILURE, r.error() == null ? null : r.error().name());
    string(g, F_PROXY_STATUS, r.error() == null ? null : r.error().proxyStatus());
    if (r.error() != null && r.error().code() != r.error().status()) number(g, F_EDGE_CODE, r.error().code());
    string(g, F_DETAIL, r.detail());
    if (r.abort() != null) string(g, F_ABORT, r.abort());
    string(g, F_ORIGIN_ADDR, r.originAddr());
    g.writeFieldName(F_ATTEMPTS);
    g.writeStartArray();
    for (Attempt a : r.attempts()) {
      g.writeStartObject();
      string(g, F_ORIGIN, a.origin());
      if (a.poolOrigin() != null) string(g, F_POOL_ORIGIN, a.poolOrigin());
      string(g, F_FAILURE, a.failure() == null ? null : a.failure().name());
      if (a.detail() != null) string(g, F_DETAIL, a.detail());
      number(g, F_CONNECT_MS, a.connectMillis());
      bool(g, F_REUSED, a.reused());
      g.writeEndObject();
    }
    g.writeEndArray();
    number(g, F_BYTES_IN, r.bytesIn());
    number(g, F_BYTES_OUT, r.bytesOut());
    g.writeFieldName(F_TIMINGS);
    g.writeStartObject();
    number(g, F_TOTAL_MS, round(r.totalMillis()));
    writeTiming(g, F_CONNECT_MS, r.connectMillis());
    writeTiming(g, F_TTFB_MS, r.ttfbMillis());
    g.writeEndObject();
    string(g, F_USER_AGENT, r.userAgent());
    if (r.doctor()) bool(g, F_DOCTOR, true);
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

  private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
    g.writeFieldName(name);
    g.writeString(value); // null as null
  }

  private static void number(JsonGenerator g, SerializedString name, long value) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private static void number(JsonGenerator g, SerializedString name, double value) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private static void bool(JsonGenerator g, SerializedString name, boolean value) throws IOException {
    g.writeFieldName(name);
    g.writeBoolean(value);
  }

  private static void nullField(JsonGenerator g, SerializedString name) throws IOException {
    g.writeFieldName(name);
    g.writeNull();
  }

  private static void writeTiming(JsonGenerator g, SerializedString name, double ms) throws IOException {
    g.writeFieldName(name);
    if (ms < 0) g.writeNull(); else g.writeNumber(round(ms));
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
