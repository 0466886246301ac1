package io.edgeray.cache;

/** A stored body still arriving from the origin: readers follow it and wait for more. */
interface Arriving {
  /** Bytes readable now. */
  long available();

  /** Every byte arrived: {@link #available()} is the whole length. */
  boolean complete();

  /** The write stopped short: no more bytes will come. */
  boolean broken();

  /** Runs {@code wake} (on the writer's thread, or now) once more than {@code after} bytes are there, or the write ended. */
  void onMore(long after, Runnable wake);
}
