package com.digitalfte.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {

    @TempDir
    Path dir;

    @Test
    void aBeatThatCameBeforeTheFirstSyncIsMadeAgainAfterItAndOnlyThen() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
        Vault vault = new Vault(dir);
        vault.init("local", false);
        AuditLog audit = new AuditLog(vault.logs(), "local");
        Heartbeat heartbeat = new Heartbeat(vault, audit, "local", "local", clock, Map::of, new Quarantine(dir));
        Path file = vault.heartbeats().resolve("local.json");

        // a new vault: the first beat finds no sync yet
        heartbeat.beat();
        assertThat(read(file)).doesNotContainKey("last_sync");

        syncLogged(audit, "2026-12-01T09:00:01Z", "clean");
        heartbeat.afterSync();
        assertThat(read(file)).extracting("last_sync").isEqualTo(Map.of("timestamp", "2026-12-01T09:00:01Z", "result", "clean"));

        // once a beat showed a sync, the syncs after it wait for the timer's beats
        syncLogged(audit, "2026-12-01T09:00:31Z", "pushed");
        heartbeat.afterSync();
        assertThat(read(file)).extracting("last_sync").isEqualTo(Map.of("timestamp", "2026-12-01T09:00:01Z", "result", "clean"));
        heartbeat.beat();
        assertThat(read(file)).extracting("last_sync").isEqualTo(Map.of("timestamp", "2026-12-01T09:00:31Z", "result", "pushed"));
    }

    private static void syncLogged(AuditLog audit, String timestamp, String result) throws Exception {
        Files.createDirectories(audit.vaultSync().getParent());
        Files.writeString(audit.vaultSync(), JsonLines.JSON.writeValueAsString(Map.of("timestamp", timestamp, "agent", "local", "result", result))
                + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws Exception {
        return JsonLines.JSON.readValue(file.toFile(), Map.class);
    }
}
