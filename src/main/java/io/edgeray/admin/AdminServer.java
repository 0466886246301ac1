package io.edgeray.admin;

import io.edgeray.config.AdminSettings;
import io.edgeray.config.CannotListenException;
import io.edgeray.config.HostPort;
import io.edgeray.tls.CertificateLoadException;
import io.edgeray.tls.Pem;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
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

  private final Vertx vertx;
  private final InetSocketAddress address;

  private AdminServer(Vertx vertx, InetSocketAddress address) {
    this.vertx = vertx;
    this.address = address;
  }

  public static AdminServer start(AdminSettings settings, AdminAccess access, List<AdminModule> modules)
      throws CannotListenException {
    HostPort address = settings.listen();
    InetSocketAddress to = address.toSocketAddress();
    if (to.isUnresolved()) throw CannotListenException.of("admin", address, new java.nio.channels.UnresolvedAddressException());
    HttpServerOptions options = new HttpServerOptions().setHost(to.getAddress().getHostAddress()).setPort(to.getPort());
    if (settings.tls() != null) {
      try {
        options.setSsl(true).setKeyCertOptions(keyCert(Pem.load(settings.tls())));
      } catch (CertificateLoadException e) {
        throw CannotListenException.of("admin", address, e);
      }
    }
    long began = System.nanoTime();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(2) // reloads, file reads, doctor runs: few at a time on a 2-core node
        .setInternalBlockingPoolSize(1)
        // no cache of classpath files in a temporary directory: nothing to scan or clean at start and stop
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)));
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
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
      AdminServer server = new AdminServer(vertx, new InetSocketAddress(to.getAddress(), http.actualPort()));
      LOG.info("admin listening on {}://{}:{} (Vert.x started in {} ms)", settings.tls() == null ? "http" : "https",
          to.getAddress().getHostAddress(), server.address().getPort(), (System.nanoTime() - began) / 1_000_000);
      return server;
    } catch (ExecutionException | TimeoutException e) {
      vertx.close();
      throw CannotListenException.of("admin", address, e instanceof ExecutionException ? e.getCause() : e);
    } catch (InterruptedException e) {
      vertx.close();
      Thread.currentThread().interrupt();
      throw CannotListenException.of("admin", address, e);
    }
  }

  /** The admin certificate as the tls package reads every certificate (PKCS#1, PKCS#8 and SEC1 keys alike). */
  private static KeyCertOptions keyCert(Pem.KeyMaterial material) throws CertificateLoadException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry("admin", material.key(), none, material.chain().toArray(new java.security.cert.Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, none);
      return KeyCertOptions.wrap((X509KeyManager) kmf.getKeyManagers()[0]);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertificateLoadException("the admin certificate does not load: " + e.getMessage());
    }
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
  }
}
