package io.edgeray.cli;

import io.edgeray.EdgeNode;
import io.edgeray.config.ConfigException;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.config.CannotListenException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.WarmUpSetting;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {"Run the edge. SIGTERM drains in-flight rays and stops; SIGHUP reloads the config and reopens the access log.",
        "Exit code: 1 the config is wrong or a listener cannot be opened, 2 the config cannot be read."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config file (default: ${DEFAULT-VALUE})")
  Path config = ConfigFile.defaultPath();

  @Override
  public Integer call() throws Exception {
    EdgeConfig cfg;
    try {
      cfg = ConfigFile.load(config);
    } catch (ConfigFile.Unusable e) {
      return e.exitCode;
    }
    EdgeNode node;
    try {
      node = EdgeNode.start(cfg, config);
    } catch (CannotListenException e) {
      System.err.println("cannot start: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("cannot start: " + e);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.shutdown(node.server().config().limits().shutdownGrace());
      stopped.countDown();
    }, "edgeray-shutdown"));
    Signal.handle(new Signal("HUP"), s -> node.reload());
    org.slf4j.LoggerFactory.getLogger(ServeCommand.class).info(
        "ready: SIGTERM drains and stops, SIGHUP reloads {} and reopens the access log", config);
    if (cfg.features().get(WarmUpSetting.class, WarmUpSetting.DEFAULT).enabled()) WarmUp.inBackground(node.servingForASecond());
    stopped.await();
    return 0;
  }
}
