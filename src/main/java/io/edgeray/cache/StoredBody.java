package io.edgeray.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The body of a stored object, readable at any offset. A disk body holds its file open, so an
 * eviction or purge while it is being sent does not cut the visitor off; close it when done.
 */
public interface StoredBody extends AutoCloseable {
  long length();

  /** Up to {@code max} bytes from {@code offset}; the caller releases the buffer (or writes it to a channel). */
  ByteBuf read(long offset, int max, ByteBufAllocator alloc) throws IOException;

  @Override
  void close();

  /** No body: the stream of a response that has none. */
  StoredBody NONE = new StoredBody() {
    @Override
    public long length() {
      return 0;
    }

    @Override
    public ByteBuf read(long offset, int max, ByteBufAllocator alloc) {
      return Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void close() {}
  };

  /**
   * A memory-tier body: one count of its direct buffer, given back at close. A read is a slice of
   * it with a count of its own, so the bytes go to the socket as they are stored, not copied.
   */
  final class InMemory implements StoredBody {
    private final ByteBuf body;
    private boolean closed;

    /** {@code body} with a count that is now this reader's. */
    InMemory(ByteBuf body) {
      this.body = body;
    }

    @Override
    public long length() {
      return body.readableBytes();
    }

    @Override
    public ByteBuf read(long offset, int max, ByteBufAllocator alloc) {
      int len = (int) Math.max(0, Math.min(max, body.readableBytes() - offset));
      return body.retainedSlice(body.readerIndex() + (int) offset, len);
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      body.release();
    }
  }

  /** A body in an entry file, from {@code start} for {@code length} bytes. */
  final class OnDisk implements StoredBody {
    private final FileChannel channel;
    private final long start;
    private final long length;

    OnDisk(FileChannel channel, long start, long length) {
      this.channel = channel;
      this.start = start;
      this.length = length;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public ByteBuf read(long offset, int max, ByteBufAllocator alloc) throws IOException {
      int len = (int) Math.min(max, length - offset);
      // a direct buffer: the file is read straight into it, and the socket written straight from it
      // (into a heap buffer the JDK reads through a temporary direct one, and Netty copies it again to write it)
      ByteBuf buf = alloc.directBuffer(Math.max(len, 0));
      try {
        ByteBuffer nio = buf.nioBuffer(0, len);
        long pos = start + offset;
        while (nio.hasRemaining()) {
          int n = channel.read(nio, pos);
          if (n < 0) throw new IOException("entry file ended early");
          pos += n;
        }
        buf.writerIndex(len);
        return buf;
      } catch (IOException | RuntimeException e) {
        buf.release();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}
