package com.digitalfte.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule catches its own true positives and lets its own false positives through, as gitleaks checks. */
class SecretRulesTest {

    private final SecretGuard guard = new SecretGuard(List.of());

    @Test
    void everyRuleCatchesItsTruePositivesAndPassesItsFalsePositives() {
        for (SecretRule rule : guard.rules()) {
            assertThat(rule.truePositives()).as(rule.name() + " has examples").isNotEmpty();
            assertThat(rule.hints()).as(rule.name() + " has the hints that let a text skip its pattern").isNotEmpty();
            for (String tp : rule.truePositives()) {
                assertThat(rule.firstHitLine(tp)).as(rule.name() + " must catch its example").isPositive();
                // the hints are a cheaper check, never a different one: the pattern alone catches the same
                assertThat(rule.withHints(List.of()).firstHitLine(tp)).isEqualTo(rule.firstHitLine(tp));
            }
            for (String fp : rule.falsePositives()) {
                assertThat(guard.scan(fp)).as(rule.name() + " must let through: " + fp).isNull();
            }
        }
    }

    @Test
    void theExactValueOfAConfiguredSecretIsAlwaysCaughtAlsoWhenWrapped() {
        SecretGuard withSecrets = new SecretGuard(List.of("correct horse battery", "short"));
        assertThat(withSecrets.scan("---\nid: X\n---\nmy password is correct horse battery, ok")).extracting(SecretGuard.Finding::rule)
                .isEqualTo("configured-secret");
        assertThat(withSecrets.scan("> my password is correct horse\n> battery, ok")).isNotNull();
        // a secret of any length counts
        assertThat(withSecrets.scan("a short note")).isNotNull();
        assertThat(withSecrets.scan("a long note")).isNull();
    }

    @Test
    void aFindingNamesRuleAndLineButNeverTheValue() {
        String key = "AKIA" + "Z7QR2LP9VT4NC8WM";
        SecretGuard.Finding f = guard.scan("line one\nline two\naws key " + key + "\n");
        assertThat(f.rule()).isEqualTo("aws-access-key-id");
        assertThat(f.line()).isEqualTo(3);
        assertThat(f.toString()).doesNotContain(key);
    }
}
