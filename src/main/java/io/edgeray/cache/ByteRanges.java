package io.edgeray.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/** Range requests against a complete stored body (RFC 9110 §14). Pure. */
public final class ByteRanges {
  /** More ranges than this in one request are answered with the whole body (a guard against abuse). */
  static final int MAX_RANGES = 64;

  private ByteRanges() {}

  /** One range, both ends inclusive. */
  public record Range(long first, long last) {
    public long length() {
      return last - first + 1;
    }

    public String contentRange(long total) {
      return "bytes " + first + "-" + last + "/" + total;
    }
  }

  /** What to send: the whole body, some ranges (206), or 416. */
  public sealed interface Plan permits Whole, Partial, Unsatisfiable {}

  public record Whole() implements Plan {}

  public record Partial(List<Range> ranges) implements Plan {}

  public record Unsatisfiable() implements Plan {}

  /**
   * The plan for a request's Range against a body of {@code length} bytes: no Range, another unit,
   * a malformed header or a failed If-Range all mean the whole body (§14.2).
   */
  public static Plan plan(HttpHeaders request, HttpHeaders stored, long length) {
    String header = request.get(HttpHeaderNames.RANGE);
    if (header == null) return new Whole();
    String ifRange = request.get("If-Range");
    if (ifRange != null && !ifRangeHolds(ifRange.trim(), stored)) return new Whole();
    return parse(header, length);
  }

  static Plan parse(String header, long length) {
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return new Whole();
    List<Range> ranges = new ArrayList<>();
    String[] specs = h.substring(6).split(",");
    if (specs.length > MAX_RANGES) return new Whole();
    for (String spec : specs) {
      String s = spec.trim();
      if (s.isEmpty()) continue;
      int dash = s.indexOf('-');
      if (dash < 0) return new Whole();
      try {
        String a = s.substring(0, dash).trim();
        String b = s.substring(dash + 1).trim();
        if (a.isEmpty()) {
          long suffix = Long.parseLong(b);
          if (suffix <= 0 || length == 0) continue;
          ranges.add(new Range(Math.max(0, length - suffix), length - 1));
        } else {
          long first = Long.parseLong(a);
          long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
          if (last < first || first < 0) return new Whole();
          if (first >= length) continue;
          ranges.add(new Range(first, Math.min(last, length - 1)));
        }
      } catch (NumberFormatException e) {
        return new Whole();
      }
    }
    if (ranges.isEmpty()) return new Unsatisfiable();
    return new Partial(coalesce(ranges));
  }

  /** Overlapping or touching ranges become one, in ascending order (§14.2 allows it). */
  static List<Range> coalesce(List<Range> ranges) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(Range::first));
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      if (!out.isEmpty() && r.first() <= out.get(out.size() - 1).last() + 1) {
        Range prev = out.remove(out.size() - 1);
        out.add(new Range(prev.first(), Math.max(prev.last(), r.last())));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  /** If-Range (§13.1.5): a strong ETag equal to the stored one, or a date equal to Last-Modified. */
  static boolean ifRangeHolds(String ifRange, HttpHeaders stored) {
    if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
      String etag = stored.get("ETag");
      return etag != null && Conditionals.strongMatch(ifRange, etag.trim());
    }
    Date date = DateFormatter.parseHttpDate(ifRange);
    String lm = stored.get("Last-Modified");
    Date modified = lm == null ? null : DateFormatter.parseHttpDate(lm);
    return date != null && modified != null && date.equals(modified);
  }
}
