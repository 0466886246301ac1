package io.edgeray.admin;

/**
 * An admin endpoint for every path under a prefix ({@code /api/zones/}), with the request body.
 * Runs on the admin server's own thread, never on a visitor event loop.
 */
@FunctionalInterface
public interface PathRoute {
  /**
   * @param rest the path after the prefix, with its query ({@code shop.example/purge})
   * @return the answer, or null when the path is not this route's (the next route under the prefix is asked)
   */
  AdminResponse handle(String method, String rest, byte[] body);
}
