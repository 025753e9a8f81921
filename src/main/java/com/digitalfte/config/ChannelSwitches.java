package com.digitalfte.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Which built-in channels are on. Each built-in channel route says what it needs in
 * {@code application.properties} ({@code channel.watch-mail.requires = IMAP_HOST,
 * MAIL_USERNAME|MAIL_ADDRESS, MAIL_PROVIDER!=gmail}) and carries {@code precondition:
 * "{{channel:watch-mail}}"}, so a route whose settings are missing is never added. The start-up
 * summary names each: on, or off with what is missing. A requirement is a comma-separated list of
 * terms, all of which must hold: {@code NAME} (set), {@code A|B} (one of them set),
 * {@code NAME=value}, {@code NAME!=value}. A user's channel file says the same with
 * {@code {{has:NAME,...}}}.
 */
public final class ChannelSwitches {

    private static final String PREFIX = "channel.";
    private static final String SUFFIX = ".requires";

    private final Map<String, String> requirements;
    private final Settings settings;

    ChannelSwitches(Map<String, String> requirements, Settings settings) {
        this.requirements = requirements;
        this.settings = settings;
    }

    /** The requirements of {@code application.properties}, against these settings. */
    public static ChannelSwitches of(Settings settings) {
        Properties p = new Properties();
        try (InputStream in = ChannelSwitches.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        Map<String, String> requirements = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith(PREFIX) && k.endsWith(SUFFIX))
                .forEach(k -> requirements.put(k.substring(PREFIX.length(), k.length() - SUFFIX.length()), p.getProperty(k).strip()));
        return new ChannelSwitches(requirements, settings);
    }

    /** Whether the channel route of this name may run; an unknown name is a mistake in a route file. */
    public boolean isOn(String channel) {
        String requires = requirements.get(channel);
        if (requires == null) {
            throw new IllegalArgumentException("no channel." + channel + ".requires in application.properties");
        }
        return missing(requires, settings).isEmpty();
    }

    /** What the channel of this name misses, in words (empty: it is on); empty when no such channel is declared. */
    public Optional<List<String>> missing(String channel) {
        String requires = requirements.get(channel);
        return requires == null ? Optional.empty() : Optional.of(missing(requires, settings));
    }

    /** The terms of a requirement that do not hold, as the owner should read them. */
    public static List<String> missing(String requires, Settings settings) {
        List<String> missing = new ArrayList<>();
        for (String raw : requires.split(",")) {
            String term = raw.strip();
            if (term.isEmpty()) {
                continue;
            }
            int ne = term.indexOf("!=");
            int eq = term.indexOf('=');
            if (ne > 0) {
                String name = term.substring(0, ne).strip();
                if (settings.get(name, "").equalsIgnoreCase(term.substring(ne + 2).strip())) {
                    missing.add(name + " other than " + term.substring(ne + 2).strip());
                }
            } else if (eq > 0) {
                String name = term.substring(0, eq).strip();
                if (!settings.get(name, "").equalsIgnoreCase(term.substring(eq + 1).strip())) {
                    missing.add(term);
                }
            } else {
                List<String> anyOf = List.of(term.split("\\|"));
                if (anyOf.stream().map(String::strip).noneMatch(settings::has)) {
                    missing.add(String.join(" or ", anyOf.stream().map(String::strip).toList()));
                }
            }
        }
        return missing;
    }
}
