package com.digitalfte.secrets;

import java.util.List;
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

    /** The 1-based line of the first hit, or 0. */
    public int firstHitLine(String text) {
        return firstHitLine(text, text.toLowerCase(java.util.Locale.ROOT));
    }

    /** The same, with the text in lower case at hand: the cheap check for a hint comes first. */
    public int firstHitLine(String text, String lowerCase) {
        if (!hints.isEmpty() && hints.stream().noneMatch(lowerCase::contains)) {
            return 0;
        }
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            String value = m.group();
            try {
                String g = m.group("secret");
                if (g != null) {
                    value = g;
                }
            } catch (IllegalArgumentException noGroup) {
                // the whole match is the value
            }
            if (accept.test(value)) {
                return 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            }
        }
        return 0;
    }
}
