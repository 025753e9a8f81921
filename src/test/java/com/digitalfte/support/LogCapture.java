package com.digitalfte.support;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one logger writes, so a test can check what the owner would read in the log. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String source;
    private final Layout<? extends Serializable> written;
    private final LoggerConfig root;

    /**
     * The appender always goes on the root logger's configuration and picks the source's events by
     * name: adding it to the source's own logger would leave a LoggerConfig of that name behind
     * after close, and later captures on the root would no longer see that logger's lines.
     */
    private LogCapture(String source, Layout<? extends Serializable> written) {
        super("capture-" + source + "-" + System.identityHashCode(written) + "-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.source = source;
        this.written = written;
        this.root = ((LoggerContext) LogManager.getContext(false)).getConfiguration().getRootLogger();
        start();
        root.addAppender(this, null, null);
    }

    private LogCapture(Class<?> source, Layout<? extends Serializable> written) {
        this(source.getName(), written);
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
        return new LogCapture("", context.getConfiguration().getAppender("console").getLayout());
    }

    @Override
    public void append(LogEvent event) {
        if (!source.isEmpty() && !source.equals(event.getLoggerName())) {
            return;
        }
        lines.add(written == null ? event.getLevel() + " " + event.getMessage().getFormattedMessage()
                : written.toSerializable(event).toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root.removeAppender(getName());
        stop();
    }
}
