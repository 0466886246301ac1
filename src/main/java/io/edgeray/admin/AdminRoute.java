package io.edgeray.admin;

/** One admin endpoint. Runs on the admin server's own thread, never on a visitor event loop. */
@FunctionalInterface
public interface AdminRoute {
  AdminResponse handle(String method, String query);
}
