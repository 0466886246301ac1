package io.edgeray.phase;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.EdgeRefusal;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * What a phase tells the engine: go on, or end the ray with an answer. Phases never act on the
 * ray themselves; the engine carries their decisions out.
 */
public sealed interface Decision {
  Decision PROCEED = new Proceed();

  /** Nothing to say: the next phase runs. */
  record Proceed() implements Decision {}

  /** The edge refuses the request itself: its error page with the refusal's code. */
  record Refuse(EdgeRefusal refusal, String detail) implements Decision {}

  /** The origin cannot be reached before any try (its name does not resolve): the failure's page. */
  record Fail(ClassifiedFailure failure) implements Decision {}

  /** A complete answer the phase made (a redirect, a cached copy); {@code detail} goes to the log. */
  record Respond(FullHttpResponse response, String detail) implements Decision {}

  static Decision refuse(EdgeRefusal refusal, String detail) {
    return new Refuse(refusal, detail);
  }
}
