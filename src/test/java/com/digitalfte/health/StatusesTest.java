package com.digitalfte.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each part's judgement alone, on a clock the test moves: what makes a channel, the sync or the queues DOWN, and what does not. */
class StatusesTest {

    @TempDir
    Path dir;

    /** A clock that stands still until the test moves it. */
    static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-01T09:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Hands clock = new Hands();

    @Test
    void aChannelIsDownWhileRefusedUnreachableOrHungAndUpAgainAtItsNextSuccess() throws Exception {
        ChannelHealth health = new ChannelHealth(clock);
        try (ServerSocket server = new ServerSocket(0)) {
            ChannelStatus status = new ChannelStatus(health, "mail-in", "IMAP test", new Reachability("127.0.0.1", server.getLocalPort()), clock);
            assertThat(status.now().up()).isTrue();
            assertThat(status.now().message()).contains("no call yet; the server answers");

            health.failed("mail-in", new MessagingException("login", new AuthenticationFailedException("AUTHENTICATE failed.")));
            assertThat(status.now().up()).isFalse();
            assertThat(status.now().message()).contains("refused the credentials", "AUTHENTICATE failed.");
            assertThat(status.now().details()).containsEntry("credentials", "refused");

            health.succeeded("mail-in");
            clock.now = clock.now.plusSeconds(42);
            assertThat(status.now().up()).isTrue();
            assertThat(status.now().message()).contains("the last call succeeded 42 s ago");

            health.failed("mail-in", new MessagingException("connect", new ConnectException("Connection refused")));
            assertThat(status.now().message()).contains("the last call failed", "Connection refused");

            health.succeeded("mail-in");
            health.calling("mail-in");
            clock.now = clock.now.plus(ChannelStatus.HUNG_AFTER).plusSeconds(1);
            assertThat(status.now().up()).as("a poll that never returns").isFalse();
            assertThat(status.now().message()).contains("has not finished");

            health.failed("mail-out", new SendFailedException("550 no such user"));
            assertThat(health.state("mail-out").orElseThrow().last()).as("the server answered about one recipient")
                    .isEqualTo(ChannelHealth.Outcome.ACCEPTED);
        }
        ChannelStatus gone = new ChannelStatus(health, "mail-out", "SMTP test", new Reachability("127.0.0.1", freeClosedPort()), clock);
        assertThat(gone.now().up()).isFalse();
        assertThat(gone.now().message()).contains("cannot be reached");
    }

    private static int freeClosedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void syncLine(Path log, String result, String error, Instant at) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", at.toString());
        line.put("result", result);
        line.put("files", 0);
        line.put("pulled", 0);
        line.put("pushed", 0);
        line.put("ms", 12);
        if (error != null) {
            line.put("error", error);
        }
        JsonLines.append(log, line);
    }

    @Test
    void theSyncIsDownWhenRefusedLongOutOfReachOrOverdueNotForAShortOutage() {
        Path log = dir.resolve("vault_sync.jsonl");
        SyncStatus status = new SyncStatus(log, Duration.ofSeconds(300), clock);
        assertThat(status.now().message()).isEqualTo("no sync yet");

        syncLine(log, "pushed", null, clock.now);
        assertThat(status.now().up()).isTrue();
        syncLine(log, "unreachable", "cannot fetch: no route", clock.now.plusSeconds(60));
        clock.now = clock.now.plusSeconds(120);
        assertThat(status.now().up()).as("a laptop between two networks").isTrue();
        assertThat(status.now().message()).contains("out of reach since");
        clock.now = clock.now.plus(SyncStatus.LONG_OUTAGE);
        syncLine(log, "unreachable", "cannot fetch: no route", clock.now);
        assertThat(status.now().up()).isFalse();

        syncLine(log, "refused", "the remote refused the credentials", clock.now);
        assertThat(status.now().up()).isFalse();
        assertThat(status.now().message()).contains("refused the last sync");

        syncLine(log, "up-to-date", null, clock.now);
        assertThat(status.now().up()).isTrue();
        clock.now = clock.now.plusSeconds(3 * 300 + 61);
        assertThat(status.now().up()).as("no sync for three intervals").isFalse();
    }

    @Test
    void failedTasksAreAWarningNotADownQueue() throws Exception {
        Vault vault = new Vault(dir.resolve("vault"));
        vault.init("local", false);
        assertThat(new QueueStatus(vault).now().details()).doesNotContainKey("warning");
        vault.write(vault.folder(com.digitalfte.vault.Folder.FAILED), TaskFile.create("EMAIL_x", "email_reply").withSection(TaskFile.ORIGINAL, "hi"));

        Health queues = new QueueStatus(vault).now();

        assertThat(queues.up()).isTrue();
        assertThat(queues.details()).containsEntry("Failed", 1).containsKey("warning");
        assertThat(queues.message()).contains("1 failed", "wait for you");
        assertThat(Files.isDirectory(vault.folder(com.digitalfte.vault.Folder.FAILED))).isTrue();
    }

    /** An action whose failures the test names: a refused token, a bad recipient, a timeout. */
    private static final class Provider implements com.digitalfte.execute.Action {
        @Override
        public String name() {
            return "test_post";
        }

        @Override
        public Request request(TaskFile task) {
            return new Request("x", new byte[0]);
        }

        @Override
        public Sent sent(com.digitalfte.execute.Execution execution, Object response) {
            return new Sent("id-1", Map.of());
        }

        @Override
        public Failure classify(Exception error) {
            return error.getMessage().contains("recipient") ? Failure.refused(error.getMessage()) : Failure.retry(error.getMessage());
        }
    }

    @Test
    void anActionOnTheExecutorContractTellsItsChannelsHealthWhatTheProviderSaid() throws Exception {
        ChannelHealth health = new ChannelHealth(clock);
        ReportedAction action = new ReportedAction(new Provider(), health, "x-out");

        action.classify(new RuntimeException("401 Unauthorized"));
        assertThat(health.state("x-out").orElseThrow().last()).isEqualTo(ChannelHealth.Outcome.REFUSED);
        action.classify(new RuntimeException("no such recipient"));
        assertThat(health.state("x-out").orElseThrow().last()).as("refused for this task, not the channel").isEqualTo(ChannelHealth.Outcome.ACCEPTED);
        action.classify(new RuntimeException("read timed out"));
        assertThat(health.state("x-out").orElseThrow().last()).isEqualTo(ChannelHealth.Outcome.UNREACHABLE);
        assertThat(action.sent(null, "ok").providerId()).isEqualTo("id-1");
        assertThat(health.state("x-out").orElseThrow().last()).isEqualTo(ChannelHealth.Outcome.ACCEPTED);
        assertThat(action.name()).isEqualTo("test_post");
    }

    @Test
    void theOwnersChannelsAreOneCheckDownWhileAnyOfThemIs() {
        ChannelHealth health = new ChannelHealth(clock);
        OwnerChannelsStatus owners = new OwnerChannelsStatus(health, HealthChecks.BUILT_IN, clock);
        health.succeeded("mail-in");
        assertThat(owners.now().message()).isEqualTo("no channel of CHANNELS_DIR has reported yet");

        health.succeeded("sales-mail-in");
        health.refused("sales-mail-out", "535 authentication failed");
        assertThat(owners.now().up()).isFalse();
        assertThat(owners.now().details()).containsOnly(Map.entry("sales-mail-in", "UP"), Map.entry("sales-mail-out", "DOWN"));
        assertThat(owners.now().message()).contains("sales-mail-out", "refused the credentials");

        health.succeeded("sales-mail-out");
        assertThat(owners.now().up()).isTrue();
        assertThat(Set.copyOf(owners.now().details().keySet())).containsExactlyInAnyOrder("sales-mail-in", "sales-mail-out");
    }
}
