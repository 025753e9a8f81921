package com.digitalfte.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides whether a file may leave this machine: it must hold none of the secrets this process was
 * configured with (their exact values) and no known credential shape. A hit names the rule and the
 * line, never the value. {@link #redact} takes every such credential out of a text that must go on.
 */
public final class SecretGuard {

    /** What was found: the rule and the line. The secret itself is never kept. */
    public record Finding(String rule, int line) {
        @Override
        public String toString() {
            return rule + " at line " + line;
        }
    }

    /** A text with its credentials replaced by {@code [redacted: <rule>]}, and the rules that hit. */
    public record Redaction(String text, List<String> rules) {
    }

    static final String CONFIGURED = "configured-secret";

    // a mail client's soft break (quoted-printable "=" at the end of a line) stands for nothing
    private static final String SOFT_BREAK = "=\\r?\\n";
    // a line break, with the "> " of a quote, may stand for nothing or for the space it replaced
    private static final Pattern GLUED = Pattern.compile(SOFT_BREAK + "|\\r?\\n(?:[ \\t]*>)*[ \\t]*");
    private static final Pattern SPACED = Pattern.compile(SOFT_BREAK + "|[ \\t]*\\r?\\n(?:[ \\t]*>)*[ \\t]*");

    private final List<String> configuredSecrets;
    private final List<SecretRule> rules;

    /** Secrets of any length count: a short one blocks more files, but is never let through. */
    public SecretGuard(Collection<String> configuredSecrets) {
        // the longest first, so a secret that holds another is redacted whole
        this.configuredSecrets = configuredSecrets.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.rules = SecretRules.all();
    }

    /** A guard that also knows these secrets. */
    public SecretGuard with(Collection<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(configuredSecrets);
        all.addAll(more);
        return new SecretGuard(all);
    }

    public List<SecretRule> rules() {
        return rules;
    }

    static String label(String rule) {
        return "[redacted: " + rule + "]";
    }

    /** The first finding in the text, or null when the text may be committed. */
    public Finding scan(String text) {
        Finding exact = configuredValue(text);
        if (exact != null) {
            return exact;
        }
        String lowerCase = text.toLowerCase(Locale.ROOT);
        for (SecretRule rule : rules) {
            int line = rule.firstHitLine(text, lowerCase);
            if (line > 0) {
                return new Finding(rule.name(), line);
            }
        }
        return null;
    }

    /**
     * The text with every configured secret and every credential shape replaced by its label, so
     * that {@link #scan} finds nothing in it; the rest of the text stays as it was.
     */
    public Redaction redact(String text) {
        Set<String> hits = new LinkedHashSet<>();
        String current = redactConfigured(text);
        if (current != text) {
            hits.add(CONFIGURED);
        }
        String lowerCase = current.toLowerCase(Locale.ROOT);
        for (SecretRule rule : rules) {
            String redacted = rule.redact(current, lowerCase);
            if (redacted != current) {
                hits.add(rule.name());
                current = redacted;
                lowerCase = current.toLowerCase(Locale.ROOT);
            }
        }
        return new Redaction(current, List.copyOf(hits));
    }

    /**
     * A configured secret, also when a mail client wrapped it over lines or quoted it with "> ".
     */
    private Finding configuredValue(String text) {
        if (configuredSecrets.isEmpty()) {
            return null;
        }
        boolean wrapped = wrapped(text);
        Unwrapped glued = null;
        Unwrapped spaced = null;
        for (String secret : configuredSecrets) {
            int at = text.indexOf(secret);
            if (at >= 0) {
                return new Finding(CONFIGURED, lineOf(text, at));
            }
            if (!wrapped) {
                continue;
            }
            if (glued == null) {
                glued = Unwrapped.of(text, GLUED, "");
                spaced = Unwrapped.of(text, SPACED, " ");
            }
            int[] span = glued.find(secret, 0);
            span = span != null ? span : spaced.find(secret, 0);
            if (span != null) {
                return new Finding(CONFIGURED + " (split over lines)", lineOf(text, span[0]));
            }
        }
        return null;
    }

    /** Every occurrence of a configured secret, wrapped or not, replaced by one label; the same instance when none is there. */
    private String redactConfigured(String text) {
        if (configuredSecrets.isEmpty()) {
            return text;
        }
        // spans are found on the text as it came, so a secret is never searched for inside a label
        List<int[]> spans = new ArrayList<>();
        List<Unwrapped> views = wrapped(text) ? List.of(Unwrapped.of(text, GLUED, ""), Unwrapped.of(text, SPACED, " ")) : List.of();
        for (String secret : configuredSecrets) {
            for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length())) {
                spans.add(new int[] {at, at + secret.length()});
            }
            for (Unwrapped view : views) {
                for (int[] span = view.find(secret, 0); span != null; span = view.find(secret, span[2])) {
                    spans.add(span);
                }
            }
        }
        if (spans.isEmpty()) {
            return text;
        }
        spans.sort(Comparator.comparingInt(s -> s[0]));
        StringBuilder result = new StringBuilder(text.length());
        int copied = 0;
        for (int[] span : spans) {
            if (span[1] <= copied) {
                continue;
            }
            if (span[0] >= copied) {
                result.append(text, copied, span[0]).append(label(CONFIGURED));
            }
            copied = span[1];
        }
        return result.append(text, copied, text.length()).toString();
    }

    /** Whether a line break is followed by more text; one that only ends the text (a log line) splits nothing. */
    private static boolean wrapped(String text) {
        int lineBreak = text.indexOf('\n');
        return lineBreak >= 0 && lineBreak < text.length() - 1;
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
