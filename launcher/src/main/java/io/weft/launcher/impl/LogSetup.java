package io.weft.launcher.impl;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.weft.launcher.LoggingOptions;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies a {@link LoggingOptions} to Logback, where everything logs: Vert.x (through its SLF4J
 * delegate), SLF4J users (jetcd, gRPC, Netty, the mesh's call logs) and java.util.logging
 * (bridged, with levels propagated so that a disabled JUL level costs nothing).
 */
public final class LogSetup {

  /**
   * The text layout: one line per event, the call's trace id at its end when it has one, as
   * {@code trace_id=...} (from the event's key-value pairs, or from the MDC inside a handler).
   */
  public static final String TEXT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%logger] %msg"
      + "%replace( %kvp{NONE}){'^ $', ''}%replace( trace_id=%X{trace_id}){'^ trace_id=$', ''}%n";

  private LogSetup() {
  }

  /** Sends java.util.logging to SLF4J; call once, early. */
  public static void bridgeJul() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Logs to standard output as {@code options} say. */
  public static void apply(LoggingOptions options) {
    apply(options, System.out);
  }

  /**
   * Logs to {@code out} as {@code options} say, replacing whatever Logback did before. Does
   * nothing when SLF4J is not backed by Logback (an application embedding Weft chose otherwise).
   */
  public static void apply(LoggingOptions options, OutputStream out) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      LoggerFactory.getLogger(LogSetup.class).warn("Logging is not done by Logback ({}): the logging section is ignored",
          factory.getClass().getName());
      return;
    }
    context.reset();
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    context.addListener(propagator);
    propagator.start();

    Encoder<ILoggingEvent> encoder;
    if (options.isJson()) {
      LogstashEncoder json = new LogstashEncoder();
      json.setContext(context);
      json.start();
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(context);
      text.setPattern(TEXT_PATTERN);
      text.start();
      encoder = text;
    }
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName(options.isJson() ? "json" : "text");
    appender.setEncoder(encoder);
    // Logback closes its stream when reconfigured; standard output must outlive that.
    appender.setOutputStream(new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    });
    appender.start();

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(options.getLevel(), Level.INFO));
    root.addAppender(appender);
    for (Map.Entry<String, String> role : options.getRoles().entrySet()) {
      context.getLogger(LoggingOptions.ROLE_LOGGERS.get(role.getKey())).setLevel(Level.toLevel(role.getValue()));
    }
  }
}
