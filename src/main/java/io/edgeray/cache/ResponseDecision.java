package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;

/** What the response-head phase does with the origin's answer. */
public sealed interface ResponseDecision {

  /**
   * Send the origin's response, with {@code visitorHeaders} set on it (Cache-Status,
   * Edge-Cache-Status, and Cache-Control when a browser TTL applies). When {@code writer} is
   * present, give it every body chunk and commit at the end (abandon if the body breaks).
   */
  record Forward(HttpHeaders visitorHeaders, Optional<EntryWriter> writer) implements ResponseDecision {
    /** Sets the cache's headers on the response going to the visitor. */
    public void applyTo(HttpHeaders visitorResponse) {
      for (String name : visitorHeaders.names()) {
        if (name.equalsIgnoreCase(CacheStatus.HEADER)) visitorResponse.add(name, visitorHeaders.getAll(name));
        else visitorResponse.set(name, visitorHeaders.getAll(name));
      }
    }
  }

  /**
   * Do not send the origin's response: send this stored response instead. Either the origin
   * answered the edge's own validators with 304 (REVALIDATED), or it answered 500, 502, 503 or 504
   * and the stored copy's stale-if-error covers it (STALE); read and drop the origin's body, if any.
   */
  record ServeStored(CachedResponse response) implements ResponseDecision {}
}
