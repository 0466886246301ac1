package io.edgeray.admin;

import io.edgeray.config.Scope;

/** Who is calling: the token's name (as the audit log shows it), what it may do, and from where. */
public record Identity(String tokenName, Scope scope, String address) {}
