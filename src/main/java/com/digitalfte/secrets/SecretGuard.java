package com.digitalfte.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides whether a file may leave this machine: it must hold none of the secrets this process was
 * configured with (their exact values) and no known credential shape. A hit names the rule and the
 * line, never the value.
 */
public final class SecretGuard {

    /** What was found: the rule and the line. The secret itself is never kept. */
    public record Finding(String rule, int line) {
        @Override
        public String toString() {
            return rule + " at line " + line;
        }
    }

    private static final int MIN_CONFIGURED_SECRET = 8;
    private final List<String> configuredSecrets;
    private final List<SecretRule> rules;

    public SecretGuard(Collection<String> configuredSecrets) {
        this.configuredSecrets = configuredSecrets.stream().map(String::strip)
                .filter(s -> s.length() >= MIN_CONFIGURED_SECRET).distinct().toList();
        this.rules = SecretRules.all();
    }

    public List<SecretRule> rules() {
        return rules;
    }

    /** The first finding in the text, or null when the text may be committed. */
    public Finding scan(String text) {
        Finding exact = configuredValue(text);
        if (exact != null) {
            return exact;
        }
        String lowerCase = text.toLowerCase(java.util.Locale.ROOT);
        for (SecretRule rule : rules) {
            int line = rule.firstHitLine(text, lowerCase);
            if (line > 0) {
                return new Finding(rule.name(), line);
            }
        }
        return null;
    }

    /**
     * A configured secret, also when a mail client wrapped it over lines or quoted it with "> ".
     */
    private Finding configuredValue(String text) {
        if (configuredSecrets.isEmpty()) {
            return null;
        }
        String glued = null;
        String spaced = null;
        for (String secret : configuredSecrets) {
            int at = text.indexOf(secret);
            if (at >= 0) {
                return new Finding("configured-secret", lineOf(text, at));
            }
            if (glued == null) {
                // a line break (with the "> " of a quote) may stand for nothing or for the space it replaced
                String unsoftened = text.replace("=\r\n", "").replace("=\n", "");
                glued = unsoftened.replaceAll("\\r?\\n(?:[ \\t]*>)*[ \\t]*", "");
                spaced = unsoftened.replaceAll("[ \\t]*\\r?\\n(?:[ \\t]*>)*[ \\t]*", " ");
            }
            if (glued.contains(secret) || spaced.contains(secret)) {
                return new Finding("configured-secret (split over lines)", 1);
            }
        }
        return null;
    }

    private static int lineOf(String text, int index) {
        return 1 + (int) text.substring(0, index).chars().filter(c -> c == '\n').count();
    }

    /** Shannon entropy in bits per character. */
    public static double entropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        int other = 0;
        for (char c : s.toCharArray()) {
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double h = 0;
        for (int n : counts) {
            if (n > 0) {
                double p = (double) n / s.length();
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = (double) other / s.length();
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    static Predicate<String> notIn(Set<String> examples) {
        return v -> !examples.contains(v);
    }

    static Pattern p(String regex) {
        return Pattern.compile(regex);
    }

    static List<String> l(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
