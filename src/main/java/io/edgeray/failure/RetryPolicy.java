package io.edgeray.failure;

/**
 * The one retry rule of the edge, as a pure function: a failed try and what is known of the
 * request give the verdict. Only a request whose bytes never reached an origin, or an idempotent
 * one that can be sent again whole, is ever repeated.
 */
public final class RetryPolicy {
  private RetryPolicy() {}

  /** What the engine does after a failed try. */
  public enum Verdict {
    /** Try the next origin of the ray's list. */
    NEXT_ORIGIN,
    /** Send the request again to the same origin on a new connection (a stale keep-alive one failed). */
    NEW_CONNECTION,
    /** Stop: the failure is the ray's answer. */
    GIVE_UP
  }

  /**
   * The facts of one failed try.
   *
   * @param retry what the failure allows
   * @param reusedConnection whether the try used a pooled keep-alive connection
   * @param replayable whether the request can be sent again whole: idempotent (RFC 9110 §9.2.2)
   *     and its body, if any, not streamed away already
   * @param staleReplayDone whether this ray already replayed once after a stale connection
   * @param originsLeft whether another origin may still be tried
   * @param retriesSentRequests whether the pool allows trying a request that reached an origin on another
   */
  public record Facts(Retry retry, boolean reusedConnection, boolean replayable, boolean staleReplayDone,
      boolean originsLeft, boolean retriesSentRequests) {}

  public static Verdict decide(Facts f) {
    if (f.retry() == Retry.ANOTHER_ORIGIN) return f.originsLeft() ? Verdict.NEXT_ORIGIN : Verdict.GIVE_UP;
    if (f.retry() == Retry.IF_REUSED && f.reusedConnection() && f.replayable() && !f.staleReplayDone()) {
      return Verdict.NEW_CONNECTION;
    }
    // the origin may have acted on the request: only a pool that allows it tries another
    return f.retriesSentRequests() && f.replayable() && f.originsLeft() ? Verdict.NEXT_ORIGIN : Verdict.GIVE_UP;
  }
}
