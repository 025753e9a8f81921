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
