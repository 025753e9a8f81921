package com.digitalfte.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weekly social summary, from the channels' logs, Failed/ and the heartbeats, as the owner reads it. */
class SocialBriefingTest {

    @TempDir
    Path dir;

    @Test
    void theWeeksPostsRepliesFailuresAndReadsAreInTheBriefing() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("local", true);
        JsonLines.append(vault.logs().resolve("x_posts.jsonl"), Map.of("executed", "2026-11-20T10:00:00Z", "task_id", "X_old", "type", "x_reply", "provider_id", "1"));
        JsonLines.append(vault.logs().resolve("x_posts.jsonl"), Map.of("executed", "2026-11-30T10:00:00Z", "task_id", "X_1001", "type", "x_reply", "provider_id", "1900"));
        JsonLines.append(vault.logs().resolve("x_posts.jsonl"), Map.of("executed", "2026-11-30T11:00:00Z", "task_id", "XPOST_2026-11-30_1", "type", "x_post", "provider_id", "1901"));
        JsonLines.append(vault.logs().resolve("linkedin_posts.jsonl"), Map.of("executed", "2026-11-29T09:00:00Z", "task_id", "LINKEDIN_2026-11-29_1",
                "type", "linkedin_post", "provider_id", "urn:li:share:7"));
        vault.write(Files.createDirectories(dir.resolve("Failed")), TaskFile.create("FB_lost", "facebook_post").with("uncertain", "true")
                .withSection(TaskFile.DRAFT, "Open late"));
        vault.write(dir.resolve("Failed"), TaskFile.create("EMAIL_x", "email_reply").withSection(TaskFile.DRAFT, "not social"));
        Files.createDirectories(vault.heartbeats());
        Files.writeString(vault.heartbeats().resolve("cloud.json"), "{\"agent\":\"cloud\",\"usage\":{\"x-mentions\":\"120 of 3000 reads in 2026-12 (posts 80, users 40)\"} }");

        Path file = new SocialBriefing(vault, Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC)).write();

        assertThat(file).isEqualTo(dir.resolve("Briefings/SOCIAL_2026-W49.md"));
        assertThat(file).content().contains("## Posted (3)",
                "| 2026-11-29T09:00:00Z | LinkedIn | linkedin_post | LINKEDIN_2026-11-29_1 | urn:li:share:7 |",
                "| 2026-11-30T10:00:00Z | X | x_reply | X_1001 | 1900 |", "XPOST_2026-11-30_1",
                "1 X mention answered", "**uncertain, check it was not posted before you retry**: FB_lost (facebook_post)",
                "x-mentions (cloud): 120 of 3000 reads in 2026-12 (posts 80, users 40)")
                .doesNotContain("X_old", "EMAIL_x");
    }
}
