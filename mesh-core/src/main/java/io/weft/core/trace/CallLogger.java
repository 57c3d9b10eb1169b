package io.weft.core.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs lines about one call, each carrying the call's trace id as the key-value pair
 * {@code trace_id} (SLF4J 2): a field of its own in JSON logs, {@code trace_id=...} at the end of
 * a text line. Check {@link #isDebugEnabled()} before building a debug message on a hot path.
 * <p>
 * While a handler runs, {@link #enter(String)} puts the trace id in the MDC too, so that the
 * handler's own log lines carry it; lines logged here then take it from there.
 */
public final class CallLogger {

  /** The key of the trace id in log events (the name OpenTelemetry's log data model uses). */
  public static final String TRACE_ID = "trace_id";

  /** Only when a real MDC is behind SLF4J is putting a trace id there worth the time. */
  private static final boolean MDC_ACTIVE = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);

  private final Logger log;

  private CallLogger(Logger log) {
    this.log = log;
  }

  public static CallLogger get(Class<?> type) {
    return new CallLogger(LoggerFactory.getLogger(type));
  }

  public static CallLogger get(String name) {
    return new CallLogger(LoggerFactory.getLogger(name));
  }

  public boolean isDebugEnabled() {
    return log.isDebugEnabled();
  }

  public boolean isInfoEnabled() {
    return log.isInfoEnabled();
  }

  public void debug(String trace, String message) {
    if (log.isDebugEnabled()) {
      withTrace(log.atDebug(), trace).log(message);
    }
  }

  public void info(String trace, String message) {
    if (log.isInfoEnabled()) {
      withTrace(log.atInfo(), trace).log(message);
    }
  }

  public void warn(String trace, String message) {
    if (log.isWarnEnabled()) {
      withTrace(log.atWarn(), trace).log(message);
    }
  }

  public void warn(String trace, String message, Throwable failure) {
    if (log.isWarnEnabled()) {
      withTrace(log.atWarn(), trace).setCause(failure).log(message);
    }
  }

  public void debug(String trace, String message, Throwable failure) {
    if (log.isDebugEnabled()) {
      withTrace(log.atDebug(), trace).setCause(failure).log(message);
    }
  }

  private static LoggingEventBuilder withTrace(LoggingEventBuilder event, String trace) {
    if (trace == null || (MDC_ACTIVE && MDC.get(TRACE_ID) != null)) {
      return event;
    }
    return event.addKeyValue(TRACE_ID, traceId(trace));
  }

  /**
   * What logs show of a {@code Trace}: its trace-id when it is a {@code traceparent}, else the
   * value itself (a peer's own format), cut to 64 characters.
   */
  public static String traceId(String trace) {
    if (trace == null) {
      return null;
    }
    String id = TraceParent.traceId(trace);
    if (id != null) {
      return id;
    }
    return trace.length() <= 64 ? trace : trace.substring(0, 64);
  }

  /** Puts the trace id of the call a handler is about to run in the MDC of this thread. */
  public static void enter(String trace) {
    if (MDC_ACTIVE && trace != null) {
      MDC.put(TRACE_ID, traceId(trace));
    }
  }

  /** Takes it out again, once the handler returned. */
  public static void leave(String trace) {
    if (MDC_ACTIVE && trace != null) {
      MDC.remove(TRACE_ID);
    }
  }
}
