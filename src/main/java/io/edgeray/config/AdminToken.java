package io.edgeray.config;

/**
 * One admin API token as the config keeps it: its name (which the audit log shows), its scope and
 * {@code sha256:<hex>} of the token, never the token itself.
 */
public record AdminToken(String name, Scope scope, String hash) {}
