package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FileForces;
import java.nio.file.Path;
import java.time.Duration;
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
}
