package com.digitalfte.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an inbound message keeps once its credentials are redacted: everything but them. */
class RedactionTest {

    private static final String CONFIGURED = "Qm7#vX2!pL9$kR4w";

    private final SecretGuard guard = new SecretGuard(List.of(CONFIGURED));

    @Test
    void everyRulesTruePositivesComeOutRedactedAndThenPassTheScan() {
        for (SecretRule rule : guard.rules()) {
            for (String tp : rule.truePositives()) {
                String text = "Hello,\n\nhere is the log:\n" + tp + "\n\nThanks, Bob";
                SecretGuard.Redaction r = guard.redact(text);
                assertThat(r.rules()).as(rule.name() + " in " + tp).contains(rule.name());
                assertThat(r.text()).as(rule.name()).contains(rule.label()).startsWith("Hello,\n\nhere is the log:\n");
                // a private key without its END line takes the rest of the text with it
                if (!rule.name().equals("private-key") || tp.contains("-----END")) {
                    assertThat(r.text()).as(rule.name()).endsWith("\n\nThanks, Bob");
                }
                assertThat(guard.scan(r.text())).as(rule.name() + " after redaction: " + r.text()).isNull();
            }
        }
    }

    @Test
    void falsePositivesAreLeftAsTheyAre() {
        for (SecretRule rule : guard.rules()) {
            for (String fp : rule.falsePositives()) {
                assertThat(guard.redact(fp)).as(rule.name()).isEqualTo(new SecretGuard.Redaction(fp, List.of()));
            }
        }
        String ordinary = "> On Monday, Alice wrote:\n> the task-" + SecretRules.mix(30) + " is done; see https://example.com/x?id=1\n";
        assertThat(guard.redact(ordinary).text()).isSameAs(ordinary);
    }

    @Test
    void onlyTheValueOfARuleWithASecretGroupIsRedacted() {
        String key = "sk-proj-" + SecretRules.mix(48);
        assertThat(guard.redact("2026-12-01 ERROR auth failed for key=" + key + " (401)").text())
                .isEqualTo("2026-12-01 ERROR auth failed for key=sk-proj-[redacted: openai-api-key] (401)");
        assertThat(guard.redact("DB_PASSWORD=" + SecretRules.mix(18) + "\nDB_HOST=db").text())
                .isEqualTo("DB_PASSWORD=[redacted: secret-assignment]\nDB_HOST=db");
    }

    @Test
    void aPrivateKeyGoesWithItsWholeBlock() {
        String body = SecretRules.mix(64);
        SecretGuard.Redaction r = guard.redact("> the server key:\n> -----BEGIN " + "RSA PRIVATE KEY-----\n> " + body
                + "\n> -----END RSA PRIVATE KEY-----\n> can you install it?");
        assertThat(r.text()).isEqualTo("> the server key:\n> [redacted: private-key]\n> can you install it?");
        // a key cut short by the sender loses what follows rather than leaving its body behind
        assertThat(guard.redact("key:\n-----BEGIN " + "PRIVATE KEY-----\n" + body).text()).isEqualTo("key:\n[redacted: private-key]");
    }

    @Test
    void aConfiguredSecretIsRedactedAlsoWhenAMailClientWrappedAndQuotedIt() {
        String quoted = "Hi,\n\n> On Monday you wrote:\n> login with Qm7#vX2!\n> pL9$kR4w today, and\n> call me.\n\nBob";
        SecretGuard.Redaction r = guard.redact(quoted);
        assertThat(r.text()).isEqualTo("Hi,\n\n> On Monday you wrote:\n> login with [redacted: configured-secret] today, and\n> call me.\n\nBob");
        assertThat(r.rules()).containsExactly("configured-secret");
        assertThat(guard.scan(r.text())).isNull();

        SecretGuard spaced = new SecretGuard(List.of("correct horse battery staple"));
        assertThat(spaced.redact("> my password is correct horse\n> battery staple, ok\n> bye").text())
                .isEqualTo("> my password is [redacted: configured-secret], ok\n> bye");
        // a quoted-printable soft break, and the same secret twice
        assertThat(guard.redact("a Qm7#vX2!pL9=\n$kR4w b " + CONFIGURED).text())
                .isEqualTo("a [redacted: configured-secret] b [redacted: configured-secret]");
    }

    @Test
    void aSecretOfAnyLengthCounts() {
        SecretGuard shortOnes = new SecretGuard(List.of("pw1", "x9"));
        assertThat(shortOnes.scan("the code is x9")).isNotNull();
        assertThat(shortOnes.redact("use pw1, then x9").text()).isEqualTo("use [redacted: configured-secret], then [redacted: configured-secret]");
    }

    @Test
    void aSecretThatHoldsAnotherIsRedactedWhole() {
        SecretGuard nested = new SecretGuard(List.of("abc123", "xyzabc123xyz"));
        assertThat(nested.redact("token xyzabc123xyz and abc123").text())
                .isEqualTo("token [redacted: configured-secret] and [redacted: configured-secret]");
    }
}
