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

  RuleExpression(String source, CelRuntime.Program program) {
    this.source = source;
    this.program = program;
  }

  /** The expression as written, for the owner; never shown to visitors. */
  public String source() {
    return source;
  }

  /** Whether the request matches. */
  public boolean matches(RequestFacts facts) {
    return matches(new RequestActivation(facts));
  }

  boolean matches(RequestActivation request) {
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
