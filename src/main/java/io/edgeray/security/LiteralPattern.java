package io.edgeray.security;

import com.google.re2j.Pattern;

/**
 * A rule's {@code matches} pattern (a literal, compiled once) with the answers to the inputs it
 * saw last. RE2's linear-time matcher is what keeps a hostile input from stalling the event loop,
 * but it walks its automaton a character at a time, a microsecond or more for a User-Agent; and
 * the inputs rules match repeat from request to request (the same few User-Agents, an empty
 * query). So the answer to the empty string is worked out once, and a small table remembers the
 * answers to recent inputs of up to {@link #LONGEST_REMEMBERED} characters: a repeat costs a hash
 * and an equals. A miss costs what it did before, plus one small record. Shared by the event
 * loops without locks: each slot holds an immutable record, and a lost race only forgets an answer.
 */
final class LiteralPattern {
  /** Slots per pattern: enough for the User-Agents of one site's busy minute, small enough to keep. */
  private static final int SLOTS = 16;
  /** Longer inputs are matched every time: remembering them would cost more memory than they save. */
  static final int LONGEST_REMEMBERED = 256;

  private record Answer(String input, boolean found) {}

  private final Pattern pattern;
  private final boolean foundInEmpty;
  private final Answer[] recent = new Answer[SLOTS];

  LiteralPattern(String regex) {
    this.pattern = Pattern.compile(regex);
    this.foundInEmpty = pattern.matcher("").find();
  }

  /** CEL's {@code matches}: whether the pattern matches anywhere in {@code input}. */
  boolean find(String input) {
    if (input.isEmpty()) return foundInEmpty;
    if (input.length() > LONGEST_REMEMBERED) return pattern.matcher(input).find();
    int slot = spread(input.hashCode()) & (SLOTS - 1);
    Answer a = recent[slot];
    if (a != null && a.input().equals(input)) return a.found();
    boolean found = pattern.matcher(input).find();
    recent[slot] = new Answer(input, found);
    return found;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return pattern.pattern();
  }
}
