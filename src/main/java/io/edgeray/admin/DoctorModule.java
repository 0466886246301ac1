package io.edgeray.admin;

import io.edgeray.analytics.ApiError;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code POST /api/doctor {"host": "shop.example"}}: runs the doctor and answers its JSON report.
 * A run takes seconds of probes on threads of the doctor's own, so neither the admin's event loop
 * nor its two workers wait for it; the answer is written when the run completes.
 */
public final class DoctorModule implements AdminModule {
  private final Function<byte[], CompletionStage<String>> run;

  /** @param run the doctor (the admin sees only this): the body in, the report's JSON out, or {@link ApiError} at once */
  public DoctorModule(Function<byte[], CompletionStage<String>> run) {
    this.run = run;
  }

  @Override
  public void mount(Router router, AdminAccess access) {
    router.post("/api/doctor").handler(access.edit()).handler(ctx -> {
      CompletionStage<String> report;
      try {
        report = run.apply(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
      } catch (ApiError e) {
        AnalyticsModule.fail(ctx, e);
        return;
      }
      Future.fromCompletionStage(report, ctx.vertx().getOrCreateContext())
          .onSuccess(json -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
              .putHeader("Cache-Control", "no-store").end(json))
          .onFailure(ctx::fail);
    });
  }
}
