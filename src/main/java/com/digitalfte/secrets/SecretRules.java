package com.digitalfte.secrets;

import static com.digitalfte.secrets.SecretGuard.entropy;
import static com.digitalfte.secrets.SecretGuard.l;
import static com.digitalfte.secrets.SecretGuard.p;

import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/** The credential shapes the guard knows, each with its own examples (see {@link SecretRule}). */
public final class SecretRules {

    // pieces the examples are made of; no literal here has a credential's shape
    private static final String MIX40 = "Zq7Xr2Lp9Vt4Nc8Wm3Kb6Hd1Jf5Gs0Qy7Ue2Io9P";
    private static final String HEX32 = "9f86d081884c7d659a2feaa0c55ad015";
    private static final String AWS_DOC_ID = "AKIA" + "IOSFODNN7EXAMPLE";
    private static final String AWS_DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY";

    private SecretRules() {
    }

    static String mix(int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            sb.append(MIX40);
        }
        return sb.substring(0, n);
    }

    private static boolean mixedCaseWithDigit(String v) {
        return v.chars().anyMatch(Character::isUpperCase) && v.chars().anyMatch(Character::isLowerCase)
                && v.chars().anyMatch(Character::isDigit);
    }

    private static final Predicate<String> ANY = v -> true;

    /** A value that looks made up by a machine, not a word, a placeholder or a link. */
    public static boolean looksGenerated(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        if (v.contains("://") || v.startsWith("<") || v.startsWith("$") || v.startsWith("{") || v.startsWith("%")
                || lower.contains("example") || lower.contains("changeme") || lower.contains("your") || lower.contains("xxxx")
                || lower.contains("placeholder") || lower.contains("redacted") || lower.startsWith("env:")) {
            return false;
        }
        return entropy(v) >= 3.5 && v.chars().anyMatch(Character::isDigit) && v.chars().anyMatch(Character::isLetter);
    }

    /** What every match of a rule contains, in lower case: a text without any of it is not searched. */
    private static final Map<String, List<String>> HINTS = Map.ofEntries(
            Map.entry("anthropic-api-key", List.of("sk-ant-")),
            Map.entry("openai-api-key", List.of("sk-")),
            Map.entry("google-oauth-client-secret", List.of("gocspx-")),
            Map.entry("google-api-key", List.of("aiza")),
            Map.entry("google-refresh-token", List.of("1//0")),
            Map.entry("google-access-token", List.of("ya29.")),
            Map.entry("aws-access-key-id", List.of("akia", "asia", "abia", "acca")),
            Map.entry("aws-secret-access-key", List.of("secret")),
            Map.entry("twilio-api-key-sid", List.of("sk")),
            Map.entry("twilio-auth-token", List.of("token")),
            Map.entry("private-key", List.of("private key")),
            Map.entry("github-token", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
            Map.entry("slack-token", List.of("xox")),
            Map.entry("slack-webhook", List.of("hooks.slack.com")),
            Map.entry("secret-assignment", List.of("secret", "token", "passw", "pwd", "apikey", "api_key", "api-key",
                    "accesskey", "access_key", "access-key", "privatekey", "private_key", "private-key")));

    public static List<SecretRule> all() {
        return rules().stream().map(r -> r.withHints(HINTS.getOrDefault(r.name(), List.of()))).toList();
    }

    private static List<SecretRule> rules() {
        return List.of(
                new SecretRule("anthropic-api-key",
                        p("(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,}"), ANY,
                        l("ANTHROPIC_API_KEY=sk-ant-" + "api03-" + mix(93) + "AA"),
                        l("see sk-ant-docs for the key format", "sk-ant-api03-short")),
                new SecretRule("openai-api-key",
                        p("(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?(?<secret>[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"),
                        SecretRules::mixedCaseWithDigit,
                        l("OPENAI_API_KEY=sk-" + "proj-" + mix(48) + "_" + mix(20), "key: sk-" + mix(48),
                                "\"api_key\": \"sk-" + "svcacct-" + mix(40) + "\""),
                        l("the risk-assessment-for-the-new-office is attached", "sk-tutorial-introduction-page-name",
                                "task-" + mix(30))),
                new SecretRule("google-oauth-client-secret",
                        p("GOCSPX-[A-Za-z0-9_-]{28}"), ANY,
                        l("\"client_secret\": \"GOCSPX" + "-" + mix(28) + "\"", "GMAIL_CLIENT_SECRET=GOCSPX" + "-" + mix(28)),
                        l("GOCSPX- is the prefix of Google client secrets")),
                new SecretRule("google-api-key",
                        p("(?<![A-Za-z0-9+/_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"), ANY,
                        l("key=AIza" + mix(35), "maps_key: AIza" + mix(35)),
                        l("data:image/png;base64,iVBORw0KGgoAIza" + mix(35) + "+/", "AIza is how Google API keys start")),
                new SecretRule("google-refresh-token",
                        p("(?<![A-Za-z0-9_/-])1//0[0-9A-Za-z_-]{40,}"), ANY,
                        l("GMAIL_REFRESH_TOKEN=1//0" + "g" + mix(60), "\"refresh_token\": \"1//0" + "4" + mix(80) + "\""),
                        l("see https://example.com/1//0 for the format", "1//0" + "short")),
                new SecretRule("google-access-token",
                        p("(?<![A-Za-z0-9_-])ya29\\.[0-9A-Za-z_-]{30,}"), ANY,
                        l("Authorization: Bearer ya29" + "." + mix(120)),
                        l("ya29.short")),
                new SecretRule("aws-access-key-id",
                        p("(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?![A-Z0-9])"),
                        v -> !v.endsWith("EXAMPLE"),
                        l("aws_access_key_id = AKIA" + "Z7QR2LP9VT4NC8WM", "ASIA" + "Q3KB6HD1JF5GS0QY in a note"),
                        l("aws_access_key_id = " + AWS_DOC_ID, "AKIA" + "lowercase-not-a-key")),
                new SecretRule("aws-secret-access-key",
                        p("(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"),
                        v -> !v.contains("EXAMPLEKEY"),
                        l("aws_secret_access_key = " + mix(20) + "/" + mix(19), "AWS_SECRET_ACCESS_KEY: \"" + mix(40) + "\""),
                        l("aws_secret_access_key = " + AWS_DOC_SECRET)),
                new SecretRule("twilio-api-key-sid",
                        // "SK" first, the look-behind after it: the log masking runs this on lines full of "task"
                        p("SK(?<![A-Za-z0-9]SK)[0-9a-f]{32}(?![A-Za-z0-9])"), ANY,
                        l("TWILIO_API_KEY=SK" + HEX32),
                        l("AccountSid: AC" + HEX32, "MessageSid: SM" + HEX32)),
                new SecretRule("twilio-auth-token",
                        p("(?i)(?:twilio[_ .-]?(?:auth[_ .-]?)?token|auth[_ .-]?token)[\"']?\\s*[:=]\\s*[\"']?(?<secret>[0-9a-f]{32})(?![0-9a-f])"), ANY,
                        l("TWILIO_AUTH_TOKEN=" + HEX32, "\"authToken\": \"" + HEX32 + "\""),
                        l("draft_sha256: " + HEX32 + HEX32, "twilio auth token goes in .env")),
                new SecretRule("private-key",
                        // the block to its END line (or to the end of a text that was cut short), so a redaction takes the key too
                        p("-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"
                                + "(?:[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|[\\s\\S]*)"), ANY,
                        l("-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
                                "-----BEGIN " + "PRIVATE KEY-----"),
                        l("-----BEGIN PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----")),
                new SecretRule("github-token",
                        p("(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})"), ANY,
                        l("GITHUB_TOKEN=ghp" + "_" + mix(36), "github" + "_pat_" + mix(22) + "_" + mix(59)),
                        l("ghp_short", "the ghp_ prefix marks a personal token")),
                new SecretRule("slack-token",
                        p("(?<![A-Za-z0-9])xox[baprse]-[0-9]{6,}-[A-Za-z0-9-]{10,}"), ANY,
                        l("SLACK_BOT_TOKEN=xoxb" + "-123456789012-1234567890123-" + mix(24)),
                        l("xoxb- tokens belong in .env")),
                new SecretRule("slack-webhook",
                        p("https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}"), ANY,
                        l("webhook: https://hooks.slack.com/services/T" + "0ABC1DEF2/B" + "3GHI4JKL5/" + mix(24)),
                        l("https://hooks.slack.com/services/ is where webhooks live")),
                new SecretRule("secret-assignment",
                        p("(?im)^[ \\t>*#-]*(?:export[ \\t]+)?[\"']?(?<name>[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*)[\"']?[ \\t]*[:=][ \\t]*[\"']?(?<secret>[^\\s\"',;]{12,})"),
                        SecretRules::looksGenerated,
                        l("DB_PASSWORD=" + mix(18), "  \"odoo_api_key\": \"" + mix(32) + "\"", "> api_key: " + mix(24),
                                "export SERVICE_TOKEN='" + mix(30) + "'"),
                        l("MAIL_PASSWORD=", "password: changeme-please", "api_key: {{env:ODOO_API_KEY}}",
                                "password_reset_link: https://example.com/reset?id=123456", "token: <your token here>",
                                "token_count: 1234567890123", "secret_santa_list: everybody-in-the-office"))
        );
    }

    static Set<String> documentedExamples() {
        return Set.of(AWS_DOC_ID, AWS_DOC_SECRET);
    }
}
