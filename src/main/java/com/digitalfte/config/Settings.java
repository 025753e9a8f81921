package com.digitalfte.config;

import com.digitalfte.secrets.UrlCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's configuration: the process environment, then a {@code .env} file in the working
 * directory. The environment wins, so a systemd unit or a shell export can override the file.
 */
public final class Settings {

    private static final Set<String> SECRET_SUFFIXES = Set.of("_KEY", "_SECRET", "_TOKEN", "_PASSWORD", "_PASSPHRASE");
    /** Names that end like a secret's but hold a file's path: blocking that path in the vault would protect nothing. */
    private static final Set<String> PATHS = Set.of("GIT_SSH_KEY");

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Settings load(Map<String, String> environment, Path dotEnv) {
        Map<String, String> merged = new LinkedHashMap<>(readDotEnv(dotEnv));
        merged.putAll(environment);
        return new Settings(merged);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** Parses {@code NAME=value} lines; {@code export}, comments and single or double quotes are understood. */
    public static Map<String, String> readDotEnv(Path file) {
        Map<String, String> result = new LinkedHashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return result;
        }
        try {
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring("export ".length()).strip();
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                result.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return result;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }

    public Optional<String> find(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String get(String name, String defaultValue) {
        return find(name).orElse(defaultValue);
    }

    public boolean has(String name) {
        return find(name).isPresent();
    }

    /** A file or folder setting; a leading {@code ~/} is the user's home, as a shell would have made it. */
    public Optional<Path> path(String name) {
        return find(name).map(v -> v.equals("~") || v.startsWith("~/") ? Path.of(System.getProperty("user.home") + v.substring(1)) : Path.of(v))
                .map(p -> p.toAbsolutePath().normalize());
    }

    public int getInt(String name, int defaultValue) {
        Optional<String> value = find(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value.get() + "'");
        }
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        return find(name).map(v -> v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes"))
                .orElse(defaultValue);
    }

    /** A new view with these values added where this one has none; what the agent derives for itself. */
    public Settings withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        values.forEach((k, v) -> {
            if (!v.isBlank()) {
                merged.put(k, v);
            }
        });
        return new Settings(merged);
    }

    /** A new view in which these values replace this one's. */
    public Settings withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    public static boolean isSecretName(String name) {
        return !PATHS.contains(name) && SECRET_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /**
     * The values of every configured secret, whatever their length, for the guard that keeps them
     * out of the vault and the masking that keeps them out of the log; with the credential that the
     * git remote's URL may carry.
     */
    public Set<String> secretValues() {
        Set<String> secrets = new LinkedHashSet<>();
        values.forEach((name, value) -> {
            if (isSecretName(name) && value != null && !value.isBlank()) {
                secrets.add(value.strip());
            }
        });
        find("GIT_REMOTE").map(UrlCredentials::in).ifPresent(secrets::addAll);
        return secrets;
    }

    /** Each secret shorter than {@code length} characters, by name, with its length (never its value). */
    public Map<String, Integer> secretsShorterThan(int length) {
        Map<String, Integer> result = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (isSecretName(name) && value != null && !value.isBlank() && value.strip().length() < length) {
                result.put(name, value.strip().length());
            }
        });
        return result;
    }

}
