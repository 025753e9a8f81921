package com.digitalfte.secrets;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One credential shape, with what it must catch and what it must let through (as gitleaks keeps
 * true- and false-positive examples with each rule). The examples are assembled from pieces so this
 * source file does not itself look like it holds a credential.
 *
 * @param name         what the log and the Dashboard call a hit ("aws-access-key")
 * @param pattern      the shape; group "secret" (or the whole match) is the value
 * @param accept       a further check on the value (entropy, known example values); true = a secret
 * @param truePositives  lines the rule must block
 * @param falsePositives lines the rule must let through
 * @param hints        lower-case strings of which every match contains at least one; a text holding
 *                     none of them is not searched at all (empty: always searched)
 */
public record SecretRule(String name, Pattern pattern, Predicate<String> accept,
                         List<String> truePositives, List<String> falsePositives, List<String> hints) {

    public SecretRule(String name, Pattern pattern, Predicate<String> accept, List<String> truePositives, List<String> falsePositives) {
        this(name, pattern, accept, truePositives, falsePositives, List.of());
    }

    public SecretRule withHints(List<String> hints) {
        return new SecretRule(name, pattern, accept, truePositives, falsePositives, hints);
    }

    /** What stands in a text for a credential this rule found. */
    public String label() {
        return SecretGuard.label(name);
    }

    /** The 1-based line of the first hit, or 0. */
    public int firstHitLine(String text) {
        return firstHitLine(text, text.toLowerCase(Locale.ROOT));
    }

    /** The same, with the text in lower case at hand: the cheap check for a hint comes first. */
    public int firstHitLine(String text, String lowerCase) {
        if (!hinted(lowerCase)) {
            return 0;
        }
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (isSecret(m)) {
                return 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            }
        }
        return 0;
    }

    /** The text with each hit's value replaced by {@link #label()}; the same instance when nothing was hit. */
    public String redact(String text, String lowerCase) {
        if (!hinted(lowerCase)) {
            return text;
        }
        Matcher m = pattern.matcher(text);
        StringBuilder result = null;
        int copied = 0;
        while (m.find()) {
            if (isSecret(m)) {
                result = result == null ? new StringBuilder(text.length()) : result;
                int[] value = valueSpan(m);
                result.append(text, copied, value[0]).append(label());
                copied = value[1];
            }
        }
        return result == null ? text : result.append(text, copied, text.length()).toString();
    }

    private boolean hinted(String lowerCase) {
        return hints.isEmpty() || hints.stream().anyMatch(lowerCase::contains);
    }

    private boolean isSecret(Matcher m) {
        return accept.test(hasSecretGroup() && m.start("secret") >= 0 ? m.group("secret") : m.group());
    }

    /** Where the value is: group "secret" when the rule has one and it took part, else the whole match. */
    private int[] valueSpan(Matcher m) {
        if (hasSecretGroup() && m.start("secret") >= 0) {
            return new int[] {m.start("secret"), m.end("secret")};
        }
        return new int[] {m.start(), m.end()};
    }

    private boolean hasSecretGroup() {
        return pattern.pattern().contains("(?<secret>");
    }
}
