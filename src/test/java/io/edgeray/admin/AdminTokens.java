package io.edgeray.admin;

/** Two tokens, an edit one named ci and a read one named viewer, and the admin YAML that configures them. */
final class AdminTokens {
  static final String EDIT = Tokens.create();
  static final String READ = Tokens.create();

  private AdminTokens() {}

  /** {@code admin:} on a port the system picks, with both tokens and these extra lines (indented by the caller's two spaces). */
  static String yaml(String... more) {
    StringBuilder b = new StringBuilder("admin:\n  listen: 127.0.0.1:0\n  tokens:\n")
        .append("    - { name: ci, scope: edit, hash: \"").append(Tokens.hash(EDIT)).append("\" }\n")
        .append("    - { name: viewer, scope: read, hash: \"").append(Tokens.hash(READ)).append("\" }\n");
    for (String line : more) b.append("  ").append(line).append('\n');
    return b.toString();
  }
}
