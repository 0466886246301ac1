package io.edgeray.cli;

import io.edgeray.EdgeNode;
import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.EdgeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "serve", description = "Run the edge. SIGTERM drains in-flight rays and stops; SIGHUP reloads the config.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})",
      defaultValue = "config/edgeray.yaml")
  Path config;

  @Override
  public Integer call() throws Exception {
    EdgeConfig cfg;
    try {
      cfg = ConfigLoader.load(config);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    EdgeNode node;
    try {
      node = EdgeNode.start(cfg, config);
    } catch (Exception e) {
      System.err.println("cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.shutdown(cfg.limits().shutdownGrace());
      stopped.countDown();
    }, "edgeray-shutdown"));
    Signal.handle(new Signal("HUP"), s -> node.reload());
    stopped.await();
    return 0;
  }
}
