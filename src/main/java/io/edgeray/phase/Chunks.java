package io.edgeray.phase;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/** A body the edge answers with piece by piece (a stored copy read from disk). */
public interface Chunks extends AutoCloseable {
  /**
   * What {@link #next} returns when the body is still arriving (a stored copy another ray is
   * fetching): nothing to write now; call {@link #onMore} and ask again when woken. Never released.
   */
  ByteBuf NOT_YET = Unpooled.unreleasableBuffer(Unpooled.buffer(0, 0));

  /**
   * The next piece, the caller's to release; {@link #NOT_YET} when more is coming; null at the end.
   *
   * @throws BrokeOff when the body's source broke off (the origin's answer another ray was fetching)
   */
  ByteBuf next(ByteBufAllocator alloc) throws IOException;

  /**
   * Whether the piece {@link #next} just gave was the last: then the engine can send the head and
   * that piece as one message. False when it cannot tell (the next call says, with null).
   */
  default boolean ended() {
    return false;
  }

  /** Runs {@code wake} once {@link #next} has something new (on any thread: hop back to your loop). */
  default void onMore(Runnable wake) {
    wake.run();
  }

  /** Called once, at the end or when the visitor went away. */
  @Override
  void close();

  /**
   * The body stopped short because its source did (the origin closed in the middle of the answer
   * another ray was fetching): the engine cuts the visitor's connection, as that ray's was, so the
   * visitor sees the answer incomplete rather than a short one that looks whole.
   */
  final class BrokeOff extends IOException {
    public BrokeOff(String message) {
      super(message);
    }
  }
}
