package com.digitalfte;

import com.digitalfte.config.ChannelSwitches;
import com.digitalfte.config.Settings;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{channel:watch-mail}}} and {@code {{has:NAME,...}}}: "true" or "false", for a route's
 * {@code precondition}, so a channel whose settings are missing is never added (see {@link ChannelSwitches}).
 */
final class ChannelFunctions {

    private ChannelFunctions() {
    }

    static PropertiesFunction channel(ChannelSwitches switches) {
        return function("channel", remainder -> switches.isOn(remainder.strip()));
    }

    static PropertiesFunction has(Settings settings) {
        return function("has", remainder -> ChannelSwitches.missing(remainder, settings).isEmpty());
    }

    private static PropertiesFunction function(String name, java.util.function.Predicate<String> test) {
        return new PropertiesFunction() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public String apply(String remainder) {
                return Boolean.toString(test.test(remainder));
            }
        };
    }
}
