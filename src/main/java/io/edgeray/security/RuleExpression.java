package io.edgeray.security;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * One compiled, type-checked rule expression. Immutable and safe to evaluate from any thread.
 * An expression that fails at run time (a missing map key, say) does not match: a rule never
 * blocks a request because it could not be evaluated.
 */
public final class RuleExpression {
  private final String source;
  private final CelRuntime.Program program;
  private final DirectRules.Compiled direct;

  /** @param direct the same expression in plain Java ({@link DirectRules}), or null to run it on CEL */
  RuleExpression(String source, CelRuntime.Program program, DirectRules.Compiled direct) {
    this.source = source;
    this.program = program;
    this.direct = direct;
  }

  /** The expression as written, for the owner; never shown to visitors. */
  public String source() {
    return source;
  }

  /** Whether the request matches. */
  public boolean matches(RequestFacts facts) {
    return matches(RequestActivation.of(facts));
  }

  boolean matches(RequestActivation request) {
    return direct != null ? direct.matches(request) : matchesWithCel(request);
  }

  /** Whether the fast path applies; for tests. */
  boolean isDirect() {
    return direct != null;
  }

  /** CEL's own interpreter, whatever the expression: the reference the direct path is tested against. */
  boolean matchesWithCel(RequestActivation request) {
    try {
      return program.eval(request) instanceof Boolean b && b;
    } catch (CelEvaluationException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
