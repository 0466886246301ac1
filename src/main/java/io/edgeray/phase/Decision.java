package io.edgeray.phase;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.EdgeRefusal;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.CompletionStage;

/**
 * What a phase tells the engine: go on, or end the ray with an answer. Phases never act on the
 * ray themselves; the engine carries their decisions out.
 */
public sealed interface Decision {
  Decision PROCEED = new Proceed();

  /** Nothing to say: the next phase runs. */
  record Proceed() implements Decision {}

  /**
   * The edge refuses the request itself: its error page with the refusal's code.
   *
   * @param ownerDetail shown on the page to everybody (a rule's id and description): never an address or an expression
   * @param headers added to the page (Retry-After, RateLimit…)
   */
  record Refuse(EdgeRefusal refusal, String detail, String ownerDetail, HttpHeaders headers) implements Decision {
    public Refuse(EdgeRefusal refusal, String detail) {
      this(refusal, detail, null, EmptyHttpHeaders.INSTANCE);
    }
  }

  /** The origin cannot be reached before any try (its name does not resolve): the failure's page. */
  record Fail(ClassifiedFailure failure) implements Decision {}

  /** A complete answer the phase made (a redirect); {@code detail} goes to the log. */
  record Respond(FullHttpResponse response, String detail) implements Decision {}

  /** An answer whose body comes in chunks (a stored copy): the engine streams it with backpressure. */
  record Stream(HttpResponse head, Chunks body, String detail) implements Decision {}

  /**
   * The phase decides later (a shared counter, a fetch another request is making). The engine
   * waits without blocking and carries out what the stage completes with, on the ray's event loop;
   * PROCEED goes on with the phase after this one.
   */
  record Later(CompletionStage<Decision> decision) implements Decision {}

  static Decision refuse(EdgeRefusal refusal, String detail) {
    return new Refuse(refusal, detail);
  }
}
