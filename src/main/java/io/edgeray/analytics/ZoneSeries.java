package io.edgeray.analytics;

import io.edgeray.observe.RaySummary;
import java.util.ArrayList;
import java.util.List;

/**
 * One zone's last day, minute by minute: a ring of {@link #MINUTES} frozen minutes plus the live
 * one. Counting a ray touches only the live minute; the lock is taken once a minute, by the first
 * ray of a new minute (or the flusher), to freeze the old one.
 *
 * <p>A ray that read the live minute just before another loop replaced it still adds to the old
 * one; that minute is frozen again at the next roll or flush ({@link #retired}), so such late
 * counts are kept.
 */
final class ZoneSeries {
  /** A day and the minute being counted: 25 hours later, every minute of the first day is gone. */
  static final int MINUTES = 24 * 60 + 1;

  private final MinuteCounts[] ring = new MinuteCounts[MINUTES]; // guarded by this
  private volatile LiveMinute live;
  private LiveMinute retired; // guarded by this: the live minute before, frozen once more at the next roll
  private long written = Long.MIN_VALUE; // guarded by this: the last minute appended to the file
  private int linesInFile; // guarded by this

  void count(RaySummary r, long minute) {
    LiveMinute m = live;
    if (m == null || m.minute != minute) m = roll(minute);
    m.count(r);
  }

  /** Makes {@code minute} the live one, freezing the minute before; a clock that went back keeps counting in the newer minute. */
  synchronized LiveMinute roll(long minute) {
    LiveMinute m = live;
    if (m != null && m.minute >= minute) return m;
    refreezeRetired();
    if (m != null) {
      store(m.snapshot());
      retired = m;
    }
    MinuteCounts kept = ring[slot(minute)];
    live = kept != null && kept.minute() == minute ? new LiveMinute(kept) : new LiveMinute(minute);
    return live;
  }

  private void refreezeRetired() {
    if (retired != null) {
      store(retired.snapshot());
      retired = null;
    }
  }

  private void store(MinuteCounts c) {
    ring[slot(c.minute())] = c;
  }

  private static int slot(long minute) {
    return (int) Math.floorMod(minute, (long) MINUTES);
  }

  /** Minutes read back from the file at start; later lines of one minute replace earlier ones. */
  synchronized void restore(List<MinuteCounts> minutes, long now, int lines) {
    for (MinuteCounts c : minutes) {
      if (c.minute() > now - MINUTES && c.minute() <= now) {
        store(c);
        // the minute of the restart itself goes on counting, so it is written again, in full
        written = Math.max(written, Math.min(c.minute(), now - 1));
      }
    }
    linesInFile = lines;
  }

  /**
   * The minutes to append to the file: every minute before {@code now} not yet written, and with
   * {@code includeLive} (at shutdown) the live one too. Marks them written.
   */
  synchronized List<MinuteCounts> unwritten(long now, boolean includeLive) {
    roll(now);
    refreezeRetired();
    List<MinuteCounts> out = new ArrayList<>();
    long last = includeLive ? now : now - 1;
    long first = Math.max(written + 1, now - MINUTES + 1);
    MinuteCounts liveNow = live.snapshot();
    for (long m = first; m <= last; m++) {
      MinuteCounts c = at(m, liveNow);
      if (c != null && c.minute() == m && c.total() > 0) out.add(c);
    }
    if (last > written) written = last;
    linesInFile += out.size();
    return out;
  }

  /** Whether the file holds so many lines that rewriting it from the ring is due. */
  synchronized boolean fileWantsCompacting() {
    return linesInFile > 2 * MINUTES;
  }

  /** Every minute kept, oldest first, for rewriting the file; the count of lines is reset to theirs. */
  synchronized List<MinuteCounts> keptMinutes(long now) {
    List<MinuteCounts> out = new ArrayList<>();
    MinuteCounts liveNow = live == null ? null : live.snapshot();
    for (long m = now - MINUTES + 1; m <= written && m <= now; m++) {
      MinuteCounts c = at(m, liveNow);
      if (c != null && c.minute() == m && c.total() > 0) out.add(c);
    }
    linesInFile = out.size();
    return out;
  }

  /** Minute {@code m}: the live one's snapshot when it is live, else what the ring holds in its slot (maybe another minute). */
  private MinuteCounts at(long m, MinuteCounts liveNow) {
    return liveNow != null && liveNow.minute() == m ? liveNow : ring[slot(m)];
  }

  /**
   * The counts from minute {@code from} (inclusive) to {@code to} (exclusive) in steps of
   * {@code step} minutes, one sum per step; minutes older than a day, or not yet come, are zero.
   */
  synchronized List<MinuteCounts> points(long now, long from, long to, long step) {
    List<MinuteCounts> out = new ArrayList<>((int) ((to - from + step - 1) / step));
    MinuteCounts liveNow = live == null ? null : live.snapshot();
    for (long t = from; t < to; t += step) {
      MinuteCounts sum = MinuteCounts.empty(t);
      for (long m = t; m < t + step && m < to; m++) {
        if (m > now || m <= now - MINUTES) continue;
        MinuteCounts c = at(m, liveNow);
        if (c != null && c.minute() == m) sum.add(c);
      }
      out.add(sum);
    }
    return out;
  }
}
