package com.digitalfte.support;

import com.digitalfte.odoo.Invoice;
import com.digitalfte.odoo.InvoiceTable;
import com.digitalfte.vault.TaskFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Invoice and payment tasks as the owner approves them, and the settings of a local agent whose Odoo is a {@link FakeOdoo}. */
public final class OdooTasks {

    public static final List<Object> MOVE_FIELDS = List.of("id", "name", "state", "amount_total", "currency_id", "partner_id");

    private OdooTasks() {
    }

    /** Kim Lee's invoice for May: 12 hours of consulting at 100.00 and the project setup at 500.00, in USD. */
    public static Invoice may(String currency) {
        return new Invoice("Kim Lee", "kim@example.com", currency, LocalDate.of(2026, 5, 31), LocalDate.of(2026, 6, 30), null, List.of(
                new Invoice.Line("Consulting", new BigDecimal("12"), new BigDecimal("100.00"), null, List.of()),
                new Invoice.Line("Project setup", BigDecimal.ONE, new BigDecimal("500.00"), null, List.of())));
    }

    public static TaskFile invoiceTask(String id, Invoice invoice) {
        TaskFile task = TaskFile.create(id, Invoice.TYPE).with("from", "Kim Lee <kim@example.com>").with("subject", "Invoice for May");
        invoice.writeTo(task);
        return task.withSection(TaskFile.DRAFT, InvoiceTable.draft(invoice, List.of()));
    }

    /** Moves the task into Approved/ whole, as Obsidian's move does. */
    public static Path approve(Path vault, TaskFile task) throws IOException {
        Path tmp = Files.createDirectories(vault.resolve(".state")).resolve(task.id() + ".approving");
        Files.writeString(tmp, task.render());
        Files.createDirectories(vault.resolve("Approved"));
        return Files.move(tmp, vault.resolve("Approved").resolve(task.id() + ".md"));
    }

    /** A local agent on this vault with this Odoo: {@code api} json2, xmlrpc, or "" to ask the server. */
    public static Map<String, String> env(Path vault, Path dir, String url, String api) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "local");
        env.put("VAULT_PATH", vault.toString());
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        env.put("MAIL_PROVIDER", "imap");
        env.put("ODOO_URL", url);
        env.put("ODOO_DB", FakeOdoo.DB);
        env.put("ODOO_USER", FakeOdoo.LOGIN);
        env.put("ODOO_API_KEY", FakeOdoo.API_KEY);
        env.put("ODOO_API", api);
        env.put("ODOO_TIMEOUT", "5");
        env.put("EXECUTE_RETRY_DELAY_MS", "100");
        env.put("DASHBOARD_INTERVAL", "1");
        env.put("HEARTBEAT_INTERVAL", "1");
        return env;
    }

    public static FakeOdoo.Call call(String api, String model, String method, Map<String, Object> params) {
        return new FakeOdoo.Call(api, model, method, params);
    }
}
