package io.edgeray.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;

/**
 * The body of a cached response as chunks: call {@link #next} until it returns null, write each
 * chunk to the visitor (it is yours to release), and {@link #close} at the end or on abort.
 * Ranges and multipart/byteranges separators are already laid out.
 */
public final class BodyStream implements AutoCloseable {
  public static final int CHUNK = 64 * 1024;

  /** One piece of the body: literal bytes (multipart separators) or a slice of the stored body. */
  sealed interface Segment permits Literal, Slice {}

  record Literal(byte[] bytes) implements Segment {}

  record Slice(long offset, long length) implements Segment {}

  private final StoredBody body;
  private final List<Segment> segments;
  private final String fetchingRay; // the ray fetching a body still arriving, or null
  private final java.util.function.LongConsumer served;
  private int index;
  private long done; // bytes of the current segment already produced
  private boolean closed;

  BodyStream(StoredBody body, List<Segment> segments, java.util.function.LongConsumer served, String fetchingRay) {
    this.body = body;
    this.segments = segments;
    this.served = served;
    this.fetchingRay = fetchingRay;
  }

  private io.edgeray.phase.Chunks.BrokeOff brokeOff() {
    String by = fetchingRay == null ? "another ray" : "ray " + fetchingRay;
    return new io.edgeray.phase.Chunks.BrokeOff("the answer being fetched by " + by
        + " broke off before its end (that ray's log line says why): nothing was stored");
  }

  /** The next chunk, or null at the end. */
  public ByteBuf next(ByteBufAllocator alloc) throws IOException {
    while (index < segments.size()) {
      Segment s = segments.get(index);
      if (s instanceof Literal l) {
        index++;
        done = 0;
        if (l.bytes().length > 0) return Unpooled.wrappedBuffer(l.bytes());
      } else {
        Slice slice = (Slice) s;
        if (body instanceof Arriving arriving) {
          boolean complete = arriving.complete(); // read before available: once complete, available is final
          long at = slice.offset() + done;
          long have = arriving.available();
          if (at >= have) {
            if (complete) return null;
            if (arriving.broken()) throw brokeOff();
            return io.edgeray.phase.Chunks.NOT_YET;
          }
          ByteBuf chunk;
          try {
            chunk = body.read(at, (int) Math.min(CHUNK, have - at), alloc);
          } catch (IOException e) {
            // the break can drop the bytes arrived so far between available() and this read
            if (arriving.broken()) throw brokeOff();
            throw e;
          }
          done += chunk.readableBytes();
          served.accept(chunk.readableBytes());
          return chunk;
        }
        long left = slice.length() - done;
        if (left <= 0) {
          index++;
          done = 0;
          continue;
        }
        ByteBuf chunk = body.read(slice.offset() + done, (int) Math.min(CHUNK, left), alloc);
        if (chunk.readableBytes() == 0) {
          chunk.release();
          throw new IOException("stored body ended early");
        }
        done += chunk.readableBytes();
        served.accept(chunk.readableBytes());
        return chunk;
      }
    }
    return null;
  }

  /** Whether every byte has been given: the last segment is done, and the body is not still arriving. */
  public boolean ended() {
    if (body instanceof Arriving) return false;
    int at = index;
    if (at < segments.size() && segments.get(at) instanceof Slice s && done >= s.length()) at++;
    return at >= segments.size();
  }

  /** Runs {@code wake} once {@link #next} has more to give than {@link io.edgeray.phase.Chunks#NOT_YET}. */
  public void onMore(Runnable wake) {
    if (body instanceof Arriving arriving && index < segments.size()) arriving.onMore(done, wake);
    else wake.run();
  }

  /** The whole body as bytes: for tests and small objects only. */
  public byte[] readAll() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ByteBuf b;
    while ((b = next(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)) != null) {
      try {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.writeBytes(bytes);
      } finally {
        b.release();
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    body.close();
  }
}
