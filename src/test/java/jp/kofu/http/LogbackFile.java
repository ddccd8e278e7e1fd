package jp.kofu.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The production {@code logback.xml} (not the tests' {@code logback-test.xml}) read into a logback context of its
 * own, with the given properties as if they were system properties, to show what its settings do.
 */
final class LogbackFile {
    private final LoggerContext context = new LoggerContext();

    private LogbackFile(Map<String, String> properties) {
        properties.forEach(context::putProperty);
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(LogbackFile.class.getResource("/logback.xml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static LogbackFile read(Map<String, String> properties) {
        return new LogbackFile(properties);
    }

    /** The names of the root logger's appenders. */
    List<String> rootAppenders() {
        List<String> names = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(a -> names.add(a.getName()));
        return names;
    }

    /** The encoder of the root logger's one appender. */
    Encoder<ILoggingEvent> encoder() {
        Appender<ILoggingEvent> a = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
        return ((OutputStreamAppender<ILoggingEvent>) a).getEncoder();
    }

    LoggerContext context() {
        return context;
    }
}
