package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import com.digitalfte.support.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ids seen are remembered across restarts within the horizon and forgotten past it, so .state stays the size of the horizon's traffic. */
class SeenIdsTest {

    @TempDir
    Path dir;

    @Test
    void aYearOfIdsIsKeptAndOlderOnesAreForgottenDayByDayAndAtARestart() throws Exception {
        Path file = dir.resolve(".state/seen_ids.txt");
        MovableClock clock = new MovableClock("2026-01-01T09:00:00Z", ZoneOffset.UTC);
        SeenIds seen = new SeenIds(file, clock, Duration.ofDays(30));
        // 90 days of 50 new mails a day
        for (int day = 0; day < 90; day++) {
            for (int i = 0; i < 50; i++) {
                assertThat(seen.add("EMAIL_d" + day + "_" + i)).isTrue();
            }
            assertThat(seen.add("EMAIL_d" + day + "_0")).as("a duplicate the same day").isFalse();
            clock.advance(Duration.ofDays(1));
        }
        assertThat(seen.size()).isBetween(30 * 50, 31 * 50);
        assertThat(seen.contains("EMAIL_d89_49")).isTrue();
        assertThat(seen.contains("EMAIL_d60_0")).as("29 days ago").isTrue();
        assertThat(seen.contains("EMAIL_d10_0")).as("80 days ago").isFalse();
        assertThat(Files.readAllLines(file)).hasSizeBetween(30 * 50, 31 * 50).contains("EMAIL_d89_49 2026-03-31");

        SeenIds restarted = new SeenIds(file, clock, Duration.ofDays(30));
        assertThat(restarted.contains("EMAIL_d60_0")).isTrue();
        assertThat(restarted.add("EMAIL_d89_49")).as("seen before the restart").isFalse();
        clock.advance(Duration.ofDays(40));
        assertThat(new SeenIds(file, clock, Duration.ofDays(30)).size()).isZero();
        assertThat(Files.readAllLines(file)).isEmpty();
    }

    @Test
    void aFileFromBeforeTheDaysWereWrittenIsReadAndItsIdsCountFromToday() throws Exception {
        Path file = Files.createDirectories(dir.resolve(".state")).resolve("seen_ids.txt");
        Files.writeString(file, "EMAIL_old1\nEMAIL_old2\nEMAIL_old1\n");
        MovableClock clock = new MovableClock("2026-01-01T09:00:00Z", ZoneOffset.UTC);
        SeenIds seen = new SeenIds(file, clock, Duration.ofDays(30));
        assertThat(seen.contains("EMAIL_old1")).isTrue();
        assertThat(Files.readAllLines(file)).containsExactlyInAnyOrder("EMAIL_old1 2026-01-01", "EMAIL_old2 2026-01-01");
        // a webhook's delivery id that is no task id is kept as its hash, with its day
        assertThat(seen.add("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}")).isTrue();
        assertThat(new SeenIds(file, clock, Duration.ofDays(30)).contains("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}")).isTrue();
    }
}
