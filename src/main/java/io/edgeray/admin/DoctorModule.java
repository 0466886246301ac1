package io.edgeray.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.analytics.ApiError;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code POST /api/doctor {"host": "shop.example"}}: runs the doctor and answers its JSON report.
 * A run takes seconds of probes on threads of the doctor's own, so neither the admin's event loop
 * nor its two workers wait for it; the answer is written when the run completes.
 *
 * <p>With {@code "fleet": true} on a fleet node, every node runs it ({@code {host, summary,
 * locations}}); the nodes ask each other with the fleet credential, which opens this route only,
 * and only for a plain run (a node asked by another never asks the fleet again).
 */
public final class DoctorModule implements AdminModule {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<byte[], CompletionStage<String>> run;
  private final Function<byte[], CompletionStage<String>> fleetRun;

  /** What {@code "fleet": true} answers on a node that stands alone. */
  public static ApiError noFleet() {
    return new ApiError(422, "no_fleet", "this node stands alone: \"fleet\": true needs a fleet section in its config", "fleet");
  }

  /**
   * @param run the doctor (the admin sees only this): the body in, the report's JSON out, or {@link ApiError} at once
   * @param fleetRun the doctor from every node of the fleet, for {@code "fleet": true} ({@link #noFleet()} standing alone)
   */
  public DoctorModule(Function<byte[], CompletionStage<String>> run, Function<byte[], CompletionStage<String>> fleetRun) {
    this.run = run;
    this.fleetRun = fleetRun;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.post("/api/doctor").handler(access.editOrFleet()).handler(ctx -> {
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      CompletionStage<String> report;
      try {
        boolean fleet = asksTheFleet(body);
        if (fleet && access.byFleet(ctx)) {
          throw new ApiError(403, "scope_insufficient", "a node asked by another runs the doctor itself: send \"fleet\": false", "fleet");
        }
        report = (fleet ? fleetRun : run).apply(body);
      } catch (ApiError e) {
        AnalyticsModule.fail(ctx, e);
        return;
      }
      Future.fromCompletionStage(report, ctx.vertx().getOrCreateContext())
          .onSuccess(json -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
              .putHeader("Cache-Control", "no-store").end(json))
          .onFailure(e -> failed(ctx, e));
    });
  }

  /** A fleet run whose node list etcd could not give is a 503 that says so, not an internal error. */
  private static void failed(RoutingContext ctx, Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof io.edgeray.fleet.FleetDoctor.Unavailable) {
      AdminErrors.fail(ctx, 503, "etcd_unreachable", cause.getMessage(), null);
    } else {
      ctx.fail(cause);
    }
  }

  private static boolean asksTheFleet(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || !n.has("fleet")) return false;
      if (!n.get("fleet").isBoolean()) throw new ApiError(400, "bad_fleet", "\"fleet\" is true or false", "fleet");
      return n.get("fleet").asBoolean();
    } catch (IOException e) {
      return false; // the doctor itself says what is wrong with the body
    }
  }
}
