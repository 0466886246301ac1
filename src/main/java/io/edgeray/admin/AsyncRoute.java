package io.edgeray.admin;

import java.util.concurrent.CompletionStage;

/**
 * An admin endpoint whose answer takes a while (a doctor run): it returns at once and completes
 * later on a thread of its own, so the admin thread goes on serving other requests meanwhile.
 */
@FunctionalInterface
public interface AsyncRoute {
  CompletionStage<AdminResponse> handle(String method, String query, byte[] body);
}
