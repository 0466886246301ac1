package io.edgeray.analytics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The whole lines of a file's first {@code size} bytes, the last line first, read backwards in
 * chunks with positional reads: what a read costs is the lines its caller takes, not the file's
 * size. A torn last line (no newline at {@code size}) is left out, as it may still be being written.
 * A line longer than a chunk is read again on its own once its start is found.
 */
final class LinesFromTheEnd {
  static final int CHUNK = 1 << 16;

  /** One line, newest first. */
  interface Line {
    /**
     * The line at {@code offset} of the file, {@code length} bytes with its newline; its text
     * (without the newline) is {@code length - 1} bytes of {@code bytes} from {@code from}, valid
     * only during the call. Returns false to stop the read.
     */
    boolean take(long offset, int length, byte[] bytes, int from);
  }

  private final FileChannel channel;
  private final byte[] chunk;
  private byte[] longLine = new byte[0];
  private long bytesRead;

  LinesFromTheEnd(FileChannel channel, int chunkSize) {
    if (chunkSize < 1) throw new IllegalArgumentException("chunk size " + chunkSize);
    this.channel = channel;
    this.chunk = new byte[chunkSize];
  }

  /** Hands the lines of {@code [0, size)} to {@code line}, last first, until it says stop or the first line was handed. */
  void read(long size, Line line) throws IOException {
    long lineEnd = -1; // just past the newline of the line whose start is looked for; -1 until the last newline is met
    long hi = size;
    while (hi > 0) {
      long lo = Math.max(0, hi - chunk.length);
      int n = (int) (hi - lo);
      readFully(chunk, n, lo);
      for (int i = n - 1; i >= 0; i--) {
        if (chunk[i] != '\n') continue;
        long newline = lo + i;
        if (lineEnd >= 0 && !hand(newline + 1, lineEnd, lo, hi, line)) return;
        lineEnd = newline + 1;
      }
      if (lo == 0 && lineEnd > 0) {
        hand(0, lineEnd, lo, hi, line); // the file's first line has no newline before it
        return;
      }
      hi = lo;
    }
  }

  /** Bytes read from the file so far, a line read again included. */
  long bytesRead() {
    return bytesRead;
  }

  /** Hands {@code [start, end)}: from the chunk {@code [lo, hi)} when it lies in it, else read again on its own. */
  private boolean hand(long start, long end, long lo, long hi, Line line) throws IOException {
    int length = (int) (end - start);
    if (end <= hi) return line.take(start, length, chunk, (int) (start - lo));
    if (longLine.length < length) longLine = new byte[Math.max(length, longLine.length * 2)];
    readFully(longLine, length, start);
    return line.take(start, length, longLine, 0);
  }

  private void readFully(byte[] into, int n, long position) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(into, 0, n);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new IOException("shorter than when it was opened (truncated behind the edge's back?)");
      }
    }
    bytesRead += n;
  }
}
