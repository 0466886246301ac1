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
   * Do not send the origin's response (a 304 to the edge's own validators): send this stored
   * response instead (REVALIDATED). The origin's response has no body to read.
   */
  record ServeStored(CachedResponse response) implements ResponseDecision {}
}
