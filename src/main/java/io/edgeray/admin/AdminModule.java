package io.edgeray.admin;

import io.vertx.ext.web.Router;

/**
 * A capability's routes on the admin listener. A module puts {@code access.read()} or
 * {@code access.edit()} before each handler; the router's handlers run on the admin's own event
 * loop, so anything that blocks (files, the doctor, config writes) goes to
 * {@code ctx.vertx().executeBlocking}.
 */
public interface AdminModule {
  void mount(Router router, AdminAccess access);
}
