package io.edgeray.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The edge's own log (not the access log): one line per event on stderr, at {@code
 * EDGERAY_LOG_LEVEL} (a system property or an environment variable; INFO by default), Netty and
 * dnsjava at WARN. Set up in code, found by Logback through {@code META-INF/services}: a
 * {@code logback.xml} would bring Logback's XML configurator and the JDK's XML parser, some 600
 * classes, into every start. {@code -Dlogback.configurationFile=FILE} still configures Logback
 * from that file instead.
 */
public final class ConsoleLog extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX, UTC} %-5level %logger{0}: %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("org.xbill").setLevel(Level.WARN);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level(), Level.INFO));
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static String level() {
    String level = System.getProperty("EDGERAY_LOG_LEVEL");
    return level != null ? level : System.getenv("EDGERAY_LOG_LEVEL");
  }
}
