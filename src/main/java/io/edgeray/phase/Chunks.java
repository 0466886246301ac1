package io.edgeray.phase;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;

/** A body the edge answers with piece by piece (a stored copy read from disk). */
public interface Chunks extends AutoCloseable {
  /** The next piece, the caller's to release; null at the end. */
  ByteBuf next(ByteBufAllocator alloc) throws IOException;

  /** Called once, at the end or when the visitor went away. */
  @Override
  void close();
}
