package com.digitalfte.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.secrets.Masking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {

    private static final String ODOO_API_KEY = "odoo-" + "k3y-for-json-lines";

    @TempDir
    Path dir;

    @Test
    void everyStringOfARecordIsMaskedAtAnyDepthAndTheRestKept() throws Exception {
        Masking.add(List.of(ODOO_API_KEY));
        Path log = dir.resolve("Logs/odoo_transactions.jsonl");
        JsonLines.append(log, Map.of("task_id", "INVOICE_1", "amount", 120.5,
                "error", "401 from https://admin:" + ODOO_API_KEY + "@odoo.example.com/json/2",
                "parameters", Map.of("tried", List.of("bearer " + ODOO_API_KEY, "again"))));

        assertThat(Files.readString(log)).doesNotContain(ODOO_API_KEY);
        assertThat(JsonLines.tail(log, 1)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("task_id", "INVOICE_1").containsEntry("amount", 120.5)
                .containsEntry("error", "401 from https://admin:***@odoo.example.com/json/2")
                .containsEntry("parameters", Map.of("tried", List.of("bearer [redacted: configured-secret]", "again"))));
    }

    @Test
    void aTailReadsTheLastLinesOfAFileOfManyChunksInOrderAndSkipsALineCutShort() throws Exception {
        Path log = Files.createDirectories(dir.resolve("Logs")).resolve("vault_sync.jsonl");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            // lines of varying length, so that the chunks end in the middle of lines
            text.append("{\"n\":").append(i).append(",\"pad\":\"").append("x".repeat(i % 97)).append("\"}\n");
        }
        text.append("{\"n\":20000,\"pad\":\"cut sho");
        Files.writeString(log, text);
        assertThat(Files.size(log)).isGreaterThan(10L * 64 * 1024);

        assertThat(JsonLines.tail(log, 1)).as("the last line is the one cut short").isEmpty();
        for (int n : new int[] {2, 20, 1000, 5000}) {
            List<Map<String, Object>> tail = JsonLines.tail(log, n);
            assertThat(tail).as("the last %d", n).hasSize(n - 1);
            assertThat(tail.get(tail.size() - 1)).containsEntry("n", 19_999);
            assertThat(tail.get(0)).containsEntry("n", 20_001 - n);
        }
        assertThat(JsonLines.tail(log, Integer.MAX_VALUE)).hasSize(20_000);
    }

    @Test
    void theRecordsOfOneTypeAreFoundInWhatWasAppendedSinceTheLastLookALineStillBeingWrittenOnceItIsWhole() throws Exception {
        Path log = Files.createDirectories(dir.resolve("Logs")).resolve("2026-12-01.json");
        StringBuilder day = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            day.append("{\"action_type\":\"vault_sync\",\"target\":\"merge_conflict\",\"n\":").append(i).append("}\n");
            if (i % 1000 == 7) {
                day.append("{\"action_type\":\"merge_conflict\",\"target\":\"Plans/P").append(i).append(".md\"}\n");
            }
        }
        Files.writeString(log, day);
        JsonLines.Matches conflicts = new JsonLines.Matches(log, "action_type", "merge_conflict");

        assertThat(conflicts.last(3)).extracting(m -> m.get("target"))
                .as("the last three of that type, oldest first; a line naming it in another field is not one")
                .containsExactly("Plans/P2007.md", "Plans/P3007.md", "Plans/P4007.md");

        Files.writeString(log, "{\"action_type\":\"merge_conflict\",\"target\":\"Plans/Late.md\"}\n{\"action_type\":\"merge_con",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(conflicts.last(3)).extracting(m -> m.get("target")).containsExactly("Plans/P3007.md", "Plans/P4007.md", "Plans/Late.md");
        Files.writeString(log, "flict\",\"target\":\"Plans/Torn.md\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(conflicts.last(3)).extracting(m -> m.get("target")).as("the line once written whole")
                .containsExactly("Plans/P4007.md", "Plans/Late.md", "Plans/Torn.md");
        assertThat(conflicts.last(10)).as("more asked for than kept: read again").hasSize(7);

        Files.writeString(log, "{\"action_type\":\"merge_conflict\",\"target\":\"Plans/New.md\"}\n");
        assertThat(conflicts.last(3)).extracting(m -> m.get("target")).as("a file that shrank is read from its start").containsExactly("Plans/New.md");

        // restored from a backup: another file, larger than what was read of this one
        Path restored = log.resolveSibling("restored.json");
        Files.writeString(restored, day.toString().replace("Plans/P4007.md", "Plans/Restored.md"));
        Files.move(restored, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(conflicts.last(3)).extracting(m -> m.get("target")).as("another file at the path is read from its start")
                .containsExactly("Plans/P2007.md", "Plans/P3007.md", "Plans/Restored.md");
    }

    @Test
    void aFullFileIsRolledOverAndOnlyTheNewestRolledRunningRecordsAreKept() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("Logs"));
        String line = "{\"result\":\"up-to-date\"}\n";
        byte[] full = line.repeat((int) (JsonLines.ROTATE_AT / line.length()) + 1).getBytes();
        for (int i = 0; i < JsonLines.KEEP_ROLLED + 2; i++) {
            int round = i;
            Files.write(logs.resolve("vault_sync.jsonl"), full);
            Files.write(logs.resolve("odoo_transactions.jsonl"), full);
            JsonLines.append(logs.resolve("vault_sync.jsonl"), Map.of("result", "pushed", "round", i));
            JsonLines.append(logs.resolve("odoo_transactions.jsonl"), Map.of("task_id", "INVOICE_" + i));
            assertThat(Files.size(logs.resolve("vault_sync.jsonl"))).isLessThan(100);
            assertThat(JsonLines.tail(logs.resolve("vault_sync.jsonl"), 5)).singleElement().satisfies(l -> assertThat(l).containsEntry("round", round));
        }
        try (var rolled = Files.newDirectoryStream(logs, "vault_sync.*.jsonl")) {
            assertThat(rolled).hasSize(JsonLines.KEEP_ROLLED);
        }
        try (var rolled = Files.newDirectoryStream(logs, "odoo_transactions.*.jsonl")) {
            assertThat(rolled).as("the audit trail keeps every rolled file").hasSize(JsonLines.KEEP_ROLLED + 2);
        }
    }
}
