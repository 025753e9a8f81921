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
}
