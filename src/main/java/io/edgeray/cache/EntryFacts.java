package io.edgeray.cache;

import io.edgeray.phase.SharedFields;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a stored head means, worked out once when it is stored, revalidated (a 304 changes the
 * head, RFC 9111 §4.3.4) or read back from disk, so that a hit only computes its current age and
 * compares: the edge's directives, the freshness signals, the corrected initial age (§4.2.3), and
 * the head a visitor gets before the per-hit fields. Immutable; a class rather than a record so
 * that the shared visitor head is never handed out where it could be changed.
 */
public final class EntryFacts {
  private static final List<String> HOP_BY_HOP = List.of(
      "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer", "Upgrade");
  /**
   * Set on every hit ({@link ResponseBuilder}): left out of the shared fields, so that a hit's head
   * still begins with them (a field set again moves to the end, as it would from a copy that had it).
   */
  private static final List<CharSequence> SET_PER_HIT = List.of(HttpHeaderNames.AGE, HttpHeaderNames.CONTENT_LENGTH,
      EdgeCacheStatus.HEADER);

  private final HttpHeaders stored;
  private final EdgeDirectives directives;
  private final Freshness.Signals signals;
  private final Duration initialAge;
  private final boolean noCache;
  private final boolean forbidsStale;
  private final boolean sharedDespiteAuthorization;
  private final OptionalLong staleWhileRevalidate;
  private final OptionalLong staleIfError;
  private final SharedFields visitorFields;
  private final int extraWeight; // the visitor fields'

  private EntryFacts(int status, HttpHeaders stored, Instant requestTime, Instant responseTime) {
    this.stored = stored;
    directives = EdgeDirectives.of(stored);
    Instant date = Freshness.dateOr(stored, responseTime);
    signals = Freshness.Signals.of(status, directives, stored, date);
    initialAge = EntryAge.initial(date, stored, requestTime, responseTime);
    CacheControl cc = directives.directives();
    noCache = cc.hasUnqualified("no-cache");
    forbidsStale = directives.forbidsStale();
    sharedDespiteAuthorization = cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate");
    staleWhileRevalidate = cc.seconds("stale-while-revalidate");
    OptionalLong sie = cc.seconds("stale-if-error");
    staleIfError = sie.isPresent() || !directives.targeted() ? sie : CacheControl.of(stored).seconds("stale-if-error");
    visitorFields = visitorFields(status, stored, cc);
    extraWeight = EntryMeta.weight(visitorFields.fields()) + visitorFields.extraBytes();
  }

  /** The facts of a stored head; {@code stored} is the entry's own copy, never changed after. */
  static EntryFacts of(int status, HttpHeaders stored, Instant requestTime, Instant responseTime) {
    return new EntryFacts(status, stored, requestTime, responseTime);
  }

  /**
   * The stored head without what a visitor never gets: hop-by-hop fields, and the fields a
   * qualified no-cache (§5.2.2.4: they need the origin) or private (§5.2.2.7: not for a shared
   * cache) names; nor the fields every hit sets anew (Accept-Ranges on a 200's).
   */
  private static SharedFields visitorFields(int status, HttpHeaders stored, CacheControl cc) {
    HttpHeaders h = EntryMeta.copyOf(stored);
    for (String name : HOP_BY_HOP) h.remove(name);
    for (String name : cc.fieldNames("no-cache")) h.remove(name);
    for (String name : cc.fieldNames("private")) h.remove(name);
    for (CharSequence name : SET_PER_HIT) h.remove(name);
    if (status == 200) h.remove(HttpHeaderNames.ACCEPT_RANGES);
    return SharedFields.of(h);
  }

  /** Whether these are the facts of this very head (the same copy, not an equal one). */
  boolean madeFrom(HttpHeaders head) {
    return head == stored;
  }

  /** The directives the edge obeys (RFC 9213 targeted fields first). */
  EdgeDirectives directives() {
    return directives;
  }

  /** The freshness lifetime under this zone and rule, the edge TTL override included. */
  Freshness.Lifetime lifetime(CacheSettings zone, CacheRule rule) {
    Duration override = zone.edgeTtl(rule);
    if (override != null) return new Freshness.Lifetime(override, Freshness.Source.EDGE_TTL);
    return signals.lifetime(zone, rule);
  }

  /** corrected_initial_age (§4.2.3). */
  Duration initialAge() {
    return initialAge;
  }

  /** An unqualified no-cache: every use needs the origin's word. */
  boolean noCache() {
    return noCache;
  }

  /** must-revalidate, proxy-revalidate or s-maxage. */
  boolean forbidsStale() {
    return forbidsStale;
  }

  /** public, s-maxage or must-revalidate: may answer a request with Authorization (§3.5). */
  boolean sharedDespiteAuthorization() {
    return sharedDespiteAuthorization;
  }

  OptionalLong staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  /** The edge's stale-if-error, else Cache-Control's (RFC 5861 §4). */
  OptionalLong staleIfError() {
    return staleIfError;
  }

  /** A visitor's head before the per-hit fields: a new copy, free to change, whose stored fields are encoded already. */
  HttpHeaders visitorHeaders() {
    return visitorFields.copy();
  }

  /** Bytes in memory beyond the stored head, for weighing the memory tier. */
  int extraWeight() {
    return extraWeight;
  }
}
