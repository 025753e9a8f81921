package com.digitalfte;

import com.digitalfte.config.Settings;
import org.apache.camel.spi.PropertiesFunction;

/**
 * Replaces Camel's {@code env:} placeholder function so that {@code {{env:NAME}}} sees the agent's
 * settings (the environment, then {@code .env}) and each agent in one JVM sees its own.
 */
final class SettingsFunction implements PropertiesFunction {

    private final Settings settings;

    SettingsFunction(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String getName() {
        return "env";
    }

    @Override
    public String apply(String remainder) {
        int colon = remainder.indexOf(':');
        String name = colon >= 0 ? remainder.substring(0, colon) : remainder;
        String fallback = colon >= 0 ? remainder.substring(colon + 1) : null;
        return settings.find(name.strip()).orElse(fallback);
    }
}
