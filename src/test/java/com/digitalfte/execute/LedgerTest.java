package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FileForces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    @TempDir
    Path state;

    @Test
    void aNewLedgersNameAndEachLineAreOnDiskBeforeTheProviderIsCalled() throws Exception {
        try (FileForces forces = FileForces.record(); Ledger ledger = new Ledger(state.resolve("ledger.jsonl"))) {
            ledger.intent("EMAIL_1", "email_reply");
            // the folder that names the new file, then the intent line
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(forces.under(state)).containsExactly("", "ledger.jsonl"));
        }
        try (Ledger reopened = new Ledger(state.resolve("ledger.jsonl"))) {
            assertThat(reopened.find("EMAIL_1")).hasValueSatisfying(e -> assertThat(e.interrupted()).isTrue());
        }
    }

    @Test
    void aLedgerOfManyTriesIsCompactedToTheLineThatDecidesEachTaskWhenItIsOpened() throws Exception {
        Path file = state.resolve("ledger.jsonl");
        Instant now = Instant.now();
        try (Ledger ledger = new Ledger(file, Clock.fixed(now, ZoneOffset.UTC))) {
            // a month of replies: each an intent, a refusal, a second intent and its done
            for (int i = 0; i < 400; i++) {
                ledger.intent("EMAIL_" + i, "email_reply");
                ledger.notSent("EMAIL_" + i, "email_reply");
                ledger.intent("EMAIL_" + i, "email_reply", "draft-" + i);
                ledger.done("EMAIL_" + i, "email_reply", "email_reply", "sent-" + i);
            }
            // and one begun before the crash
            ledger.intent("EMAIL_LAST", "email_reply", "draft-last");
        }
        Files.writeString(file, "\n{\"ts\":\"2026-", java.nio.file.StandardOpenOption.APPEND);
        assertThat(nonBlankLines(file)).isEqualTo(1602);

        try (Ledger reopened = new Ledger(file, Clock.fixed(now, ZoneOffset.UTC))) {
            assertThat(nonBlankLines(file)).isEqualTo(401);
            assertThat(reopened.find("EMAIL_7")).hasValue(new Ledger.Entry("EMAIL_7", "email_reply", "done", "sent-7"));
            assertThat(reopened.find("EMAIL_LAST")).hasValue(new Ledger.Entry("EMAIL_LAST", "email_reply", "intent", "draft-last"));
            // the hourly limit still counts what was done before the restart
            assertThat(reopened.doneSince("email_reply", now.minusSeconds(60))).isEqualTo(400);
            reopened.done("EMAIL_LAST", "email_reply", "email_reply", "sent-last");
        }
        try (Ledger again = new Ledger(file)) {
            assertThat(nonBlankLines(file)).as("a small ledger is left as it is").isEqualTo(402);
            assertThat(again.isDone("EMAIL_LAST")).isTrue();
            assertThat(again.isDone("EMAIL_399")).isTrue();
        }
    }

    private static long nonBlankLines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
    }
}
