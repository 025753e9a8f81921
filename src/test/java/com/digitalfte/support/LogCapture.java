package com.digitalfte.support;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one logger writes, so a test can check what the owner would read in the log. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final Layout<? extends Serializable> written;

    private LogCapture(Class<?> source, Layout<? extends Serializable> written) {
        this((Logger) LogManager.getLogger(source), written);
    }

    private LogCapture(Logger logger, Layout<? extends Serializable> written) {
        super("capture-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
        this.written = written;
        start();
        logger.addAppender(this);
    }

    /** Each line as its level and message. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source, null);
    }

    /** Each line exactly as the configured console appender writes it (src/main/resources/log4j2.properties). */
    public static LogCapture asWritten(Class<?> source) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        return new LogCapture(source, context.getConfiguration().getAppender("console").getLayout());
    }

    /** Every line of every logger, exactly as the console appender writes it (stack traces included). */
    public static LogCapture everything() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        return new LogCapture((Logger) LogManager.getRootLogger(), context.getConfiguration().getAppender("console").getLayout());
    }

    @Override
    public void append(LogEvent event) {
        lines.add(written == null ? event.getLevel() + " " + event.getMessage().getFormattedMessage()
                : written.toSerializable(event).toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
