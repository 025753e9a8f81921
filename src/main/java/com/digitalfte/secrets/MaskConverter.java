package com.digitalfte.secrets;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * {@code %mask{pattern}}: the line the pattern makes, stack trace included, passed through
 * {@link Masking}. A pattern without a throwable converter gets one inside the mask, and the layout
 * is told that this converter writes the throwable, so no stack trace is ever written unmasked.
 */
@Plugin(name = "MaskConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class MaskConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;

    private MaskConverter(List<PatternFormatter> formatters) {
        super("mask", null);
        this.formatters = formatters;
    }

    public static MaskConverter newInstance(Configuration config, String[] options) {
        if (options.length != 1) {
            StatusLogger.getLogger().error("%mask takes one pattern, as in %mask{%msg%n}; got {} options", options.length);
            return null;
        }
        // alwaysWriteExceptions: the throwable goes inside the mask, never after it
        return new MaskConverter(PatternLayout.createPatternParser(config).parse(options[0], true, false, false));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder line = new StringBuilder(128);
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, line);
        }
        toAppendTo.append(Masking.mask(line.toString()));
    }

    @Override
    public boolean handlesThrowable() {
        return true;
    }
}
