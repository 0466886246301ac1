package io.edgeray.failure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One origin as several places see it, in one sentence. The same failure from everywhere is the
 * origin's; a failure from some places while the others get answers is a path's (a route, or a
 * firewall that blocks some edge addresses), which is what an operator most needs to tell apart
 * in an outage. Places are fleet nodes, by name.
 */
public final class SeenFrom {
  /**
   * What one place sees.
   *
   * @param failure how the origin failed from there, or null when it answered, or failed in a way
   *     the taxonomy has no class for (then {@code problem} says how)
   * @param problem the words for a failure without a class ("fails its health check"), else null
   */
  public record Sight(String place, boolean ok, OriginFailure failure, String problem) {
    public static Sight answered(String place) {
      return new Sight(place, true, null, null);
    }

    public static Sight failed(String place, OriginFailure failure, String problem) {
      return new Sight(place, false, failure, failure == null && problem == null ? "fails" : problem);
    }

    /** "answers", "refused", "times out"… */
    public String word() {
      if (ok) return "answers";
      return failure != null ? SeenFrom.word(failure) : problem;
    }
  }

  private SeenFrom() {}

  /** The verb for a failure class, as the sentences use it: "refused from AMS". */
  public static String word(OriginFailure f) {
    return switch (f) {
      case CONNECTION_REFUSED -> "refused";
      case CONNECT_TIMEOUT -> "times out";
      case UNREACHABLE -> "unreachable";
      case RESPONSE_TIMEOUT, WRITE_TIMEOUT -> "answers too slowly";
      case TLS_HANDSHAKE -> "fails the TLS handshake";
      case TLS_CERTIFICATE -> "has an invalid certificate";
      case DNS_ERROR -> "does not resolve";
      case RESPONSE_INCOMPLETE, RESPONSE_MALFORMED, RESPONSE_HEAD_TOO_LARGE -> "answers with a broken response";
    };
  }

  /** The sentence when the places do not all see the same, else null. */
  public static String disagreement(List<Sight> sights) {
    return sights.stream().map(Sight::word).distinct().count() > 1 ? summary(sights) : null;
  }

  /**
   * Always a sentence: "refused from all 3 locations: the origin is down", "times out from SIN
   * only: a path or firewall problem near SIN, not the origin", "answers from all 2 locations".
   */
  public static String summary(List<Sight> sights) {
    if (sights.isEmpty()) return "no location answered";
    Map<String, List<String>> byWord = new LinkedHashMap<>();
    List<String> failing = new ArrayList<>();
    List<String> answering = new ArrayList<>();
    for (Sight s : sights) {
      byWord.computeIfAbsent(s.word(), w -> new ArrayList<>()).add(s.place());
      (s.ok() ? answering : failing).add(s.place());
    }
    if (failing.isEmpty()) return "answers from " + all(sights.size());
    if (answering.isEmpty()) {
      if (byWord.size() == 1) {
        String word = byWord.keySet().iterator().next();
        if (sights.size() == 1) {
          return word + " from " + sights.get(0).place() + ", the only location asked: it cannot tell the origin from the path";
        }
        return word + " from " + all(sights.size()) + ": " + originConclusion(sights.get(0));
      }
      return "fails from " + all(sights.size()) + " (" + groups(byWord, "; ") + "): the origin is down, not one path";
    }
    byWord.remove("answers");
    String where = places(failing);
    if (byWord.size() == 1) {
      return byWord.keySet().iterator().next() + " from " + where + " only: a path or firewall problem near " + where
          + ", not the origin";
    }
    return groups(byWord, ", ") + ", answers from " + places(answering) + ": path or firewall problems near " + where
        + ", not the origin";
  }

  private static String originConclusion(Sight s) {
    if (s.failure() == OriginFailure.CONNECTION_REFUSED) return "the origin is down";
    if (s.failure() == OriginFailure.CONNECT_TIMEOUT) return "the origin is down, or drops every connection";
    if (s.failure() == OriginFailure.UNREACHABLE) return "the origin's network is down";
    return "the origin's problem, not a path's";
  }

  private static String all(int n) {
    return n == 1 ? "the one location" : "all " + n + " locations";
  }

  private static String groups(Map<String, List<String>> byWord, String separator) {
    List<String> parts = new ArrayList<>();
    byWord.forEach((word, where) -> parts.add(word + " from " + places(where)));
    return String.join(separator, parts);
  }

  /** "AMS", "AMS and SIN", "AMS, FRA and SIN". */
  static String places(List<String> names) {
    if (names.size() == 1) return names.get(0);
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }
}
