package io.edgeray.admin;

import io.edgeray.config.AdminSettings;
import io.edgeray.config.CannotListenException;
import io.edgeray.config.HostPort;
import io.edgeray.tls.CertificateLoadException;
import io.edgeray.tls.EdgeTls;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's port, on Vert.x Web: one Vert.x instance with one event loop of its own, so a
 * slow scrape or a doctor run never delays a visitor, and a router the capabilities mount their
 * {@link AdminModule}s on.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final int BODY_LIMIT = 1024 * 1024;
  /** A dashboard left alone this long must sign in again. */
  private static final java.time.Duration SESSION_IDLE = java.time.Duration.ofHours(8);

  private final Vertx vertx;
  private final InetSocketAddress address;
  private final AuditLog audit;
  private final HttpServer http;
  private final AdminCertificate certificate; // null for plain HTTP

  private AdminServer(Vertx vertx, InetSocketAddress address, AuditLog audit, HttpServer http, AdminCertificate certificate) {
    this.vertx = vertx;
    this.address = address;
    this.audit = audit;
    this.http = http;
    this.certificate = certificate;
  }

  /**
   * Starts Vert.x on a thread of its own: loading its classes takes a tenth of a second or more
   * on a cold JVM, and the visitor listeners need not wait for that. Hand the result to
   * {@link #start}, or to {@link #abandon} when the node does not get that far.
   */
  public static CompletableFuture<Vertx> boot() {
    return CompletableFuture.supplyAsync(() -> Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(2) // reloads, file reads, doctor runs: few at a time on a 2-core node
        .setInternalBlockingPoolSize(1)
        // classpath files (the dashboard) are copied once into Vert.x's temporary cache: with the
        // cache off, each request copies them again, and a request racing another's copy got a 404
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(true))), r -> {
          Thread t = new Thread(r, "edgeray-admin-boot");
          t.setDaemon(true);
          t.start();
        });
  }

  /** Stops a booted Vert.x that no server was started on. */
  public static void abandon(CompletableFuture<Vertx> booting) {
    booting.thenAccept(Vertx::close);
  }

  /** Listens now; a failure closes Vert.x and the audit log it was given, so nothing is left open. */
  public static AdminServer start(CompletableFuture<Vertx> booting, AdminSettings settings, AdminAccess access,
      List<AdminModule> modules) {
    long began = System.nanoTime();
    Vertx vertx = booting.join();
    try {
      return listen(vertx, began, settings, access, modules);
    } catch (RuntimeException e) {
      vertx.close();
      access.auditLog().close();
      throw e;
    }
  }

  private static AdminServer listen(Vertx vertx, long began, AdminSettings settings, AdminAccess access,
      List<AdminModule> modules) {
    HostPort address = settings.listen();
    InetSocketAddress to = address.toSocketAddress();
    if (to.isUnresolved()) throw CannotListenException.of("admin", address, new java.nio.channels.UnresolvedAddressException());
    HttpServerOptions options = new HttpServerOptions().setHost(to.getAddress().getHostAddress()).setPort(to.getPort());
    AdminCertificate certificate = null;
    if (settings.tls() != null) {
      certificate = new AdminCertificate(() -> access.settings().tls(), settings.tls());
      try {
        options.setSsl(true).setKeyCertOptions(certificate.initial());
      } catch (CertificateLoadException e) {
        throw CannotListenException.of("admin", address, e);
      }
    }
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.route().handler(SessionHandler.create(LocalSessionStore.create(vertx))
        .setSessionCookieName(AdminAccess.SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setCookieSecureFlag(settings.tls() != null)
        .setSessionTimeout(SESSION_IDLE.toMillis())
        .setLazySession(true)); // no cookie for a script's bearer-token request, only for a sign-in
    for (AdminModule m : modules) m.mount(router, access);
    router.errorHandler(404, ctx -> AdminErrors.fail(ctx, 404, "not_found", "no such route: " + ctx.request().method() + " "
        + ctx.request().path() + "; the routes are listed in docs/api.md", null));
    router.errorHandler(405, ctx -> AdminErrors.fail(ctx, 405, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path(), null));
    router.errorHandler(413, ctx -> AdminErrors.fail(ctx, 413, "body_too_large", "the body is over " + BODY_LIMIT + " bytes", null));
    router.errorHandler(500, ctx -> {
      LOG.error("admin route {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      AdminErrors.fail(ctx, 500, "internal", "internal error: " + (ctx.failure() == null ? "" : ctx.failure().getMessage()), null);
    });
    try {
      HttpServer http = vertx.createHttpServer(options).requestHandler(router).listen()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      AdminServer server = new AdminServer(vertx, new InetSocketAddress(to.getAddress(), http.actualPort()), access.auditLog(),
          http, certificate);
      if (certificate != null) { // polled like the edge's certificates; the read runs on a worker
        vertx.setPeriodic(EdgeTls.POLL.toMillis(), id -> vertx.executeBlocking(server::reloadCertificate, false));
      }
      LOG.info("admin listening on {}://{}:{} (waited {} ms for Vert.x and the bind)", settings.tls() == null ? "http" : "https",
          to.getAddress().getHostAddress(), server.address().getPort(), (System.nanoTime() - began) / 1_000_000);
      return server;
    } catch (ExecutionException | TimeoutException e) {
      throw CannotListenException.of("admin", address, e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CannotListenException.of("admin", address, e);
    }
  }

  /**
   * Reads the admin certificate again if its files changed, or the running config names others
   * ({@code POST /reload}, SIGHUP, and every {@link EdgeTls#POLL}); new handshakes get it.
   *
   * @return null, or why the certificate in service stays (it also goes to the log)
   */
  public String reloadCertificate() {
    return certificate == null ? null : certificate.refresh(http);
  }

  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("the admin server did not stop cleanly: {}", e.toString());
    }
    audit.close();
  }
}
