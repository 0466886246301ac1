package io.edgeray.security;

/**
 * One firewall rule of a zone, compiled.
 *
 * @param description shown on the block page with the id; the expression never is
 * @param enabled a disabled rule is kept in the config but not evaluated
 */
public record FirewallRule(String id, String description, RuleExpression expression, FirewallAction action, boolean enabled) {}
