package com.digitalfte.odoo;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Executor;
import com.digitalfte.execute.Ledger;
import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An approved {@code odoo_invoice} posted in Odoo, on the executor contract: the customer found by
 * email, then by name, or created; an {@code account.move} ({@code out_invoice}) with the lines as
 * {@code (0, 0, {name, quantity, price_unit})} and {@code ref} = the task id; then {@code action_post}.
 * Odoo has no idempotency key, so the task id in {@code ref} is the key: every try first searches
 * for it, posts a draft it finds (a try cut short between create and post) and never posts a posted
 * move again. That makes a second try safe, and a restart's lookup is the same search.
 */
public final class OdooInvoiceAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(OdooInvoiceAction.class);
    private static final List<String> MOVE_FIELDS = List.of("id", "name", "state", "amount_total", "currency_id", "partner_id");

    private final Odoo odoo;

    public OdooInvoiceAction(Odoo odoo) {
        this.odoo = odoo;
    }

    @Override
    public String name() {
        return Invoice.TYPE;
    }

    @Override
    public String logFile() {
        return "odoo_transactions.jsonl";
    }

    /** The front matter as the owner left it, complete, and shown as it is in the {@code ## Draft}'s table. */
    @Override
    public Request request(TaskFile task) throws TaskFormatException {
        Invoice invoice = Invoice.of(task);
        if (!invoice.complete()) {
            throw new TaskFormatException("the invoice cannot be posted yet: " + String.join("; ", invoice.problems())
                    + ". Fill it in (the front matter is what is posted), then move this task back to Approved/.");
        }
        Optional<String> differs = InvoiceTable.disagreement(invoice, task.section(TaskFile.DRAFT).orElse(""));
        if (differs.isPresent()) {
            throw new TaskFormatException("the ## Draft table and the front matter disagree: " + differs.get()
                    + ". What is posted is the front matter: make the table say the same (this one does), then move this task back to"
                    + " Approved/.\n\n" + InvoiceTable.table(invoice));
        }
        TaskFile posted = TaskFile.create(task.id(), task.type());
        invoice.writeTo(posted);
        try {
            return new Request(invoice, Json2Api.JSON.writeValueAsBytes(posted.frontMatter()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The move with this task's ref: posted if it is a draft, left as it is if posted, created and posted if there is none. */
    @Override
    public Object call(Execution execution) throws Exception {
        String ref = execution.task().id();
        Invoice invoice = (Invoice) execution.payload();
        Map<String, Object> move = findByRef(ref);
        String note = null;
        int id;
        if (move == null) {
            int partner = partner(invoice);
            int currency = currency(invoice.currency());
            List<List<Object>> lines = new ArrayList<>();
            for (Invoice.Line line : invoice.lines()) {
                lines.add(List.of(0, 0, lineValues(line)));
            }
            id = firstId(step("to create the invoice", () -> odoo.call("account.move", "create",
                    Map.of("vals_list", List.of(moveValues(ref, invoice, partner, currency, lines))))));
            LOG.info("Task {}: invoice {} created in Odoo as a draft; posting it", ref, id);
            post(id, "the invoice created as draft " + id);
        } else {
            id = ((Number) move.get("id")).intValue();
            String state = String.valueOf(move.get("state"));
            if (state.equals("draft")) {
                LOG.info("Task {}: its invoice {} is in Odoo as a draft (an earlier try stopped before posting it); posting it", ref, id);
                post(id, "the draft invoice " + id + " created by an earlier try");
                note = "an earlier try had created it; posted now";
            } else if (state.equals("posted")) {
                LOG.info("Task {}: its invoice {} is already posted in Odoo; not posting it again", ref, move.get("name"));
                note = "already posted in Odoo by an earlier try";
            } else {
                throw new Executor.RefusedException("Odoo has the invoice " + move.get("name") + " (id " + id + ") with ref " + ref
                        + " in state '" + state + "': it is not posted again. Reset it to draft in Odoo and move this task back to Approved/ to"
                        + " post it, or move this task to Rejected/", null);
            }
        }
        return new Posted(read(id), note);
    }

    /** What Odoo holds after the call, and how it came to be. */
    private record Posted(Map<String, Object> move, String note) {
    }

    @Override
    public Sent sent(Execution execution, Object response) {
        Posted posted = (Posted) response;
        return sent(posted.move(), posted.note());
    }

    private Sent sent(Map<String, Object> move, String note) {
        Map<String, String> result = new LinkedHashMap<>();
        if (note != null) {
            result.put("note", note);
        }
        result.put("odoo_id", String.valueOf(move.get("id")));
        result.put("number", String.valueOf(move.get("name")));
        result.put("total", move.get("amount_total") instanceof Number n
                ? BigDecimal.valueOf(n.doubleValue()).setScale(2, RoundingMode.HALF_UP).toPlainString() : "");
        result.put("currency", nameOf(move.get("currency_id")));
        result.put("partner", nameOf(move.get("partner_id")));
        result.put("state", String.valueOf(move.get("state")));
        result.put("odoo_api", odoo.status().api() == null ? "" : odoo.status().api());
        return new Sent(String.valueOf(move.get("id")), result);
    }

    /** After a restart: a posted move with this ref is the invoice done; a draft or none, the call again (which posts or creates it once). */
    @Override
    public Reconciled reconcile(TaskFile task, Ledger.Entry intent) throws Exception {
        try {
            Map<String, Object> move = findByRef(task.id());
            if (move != null && "posted".equals(move.get("state"))) {
                LOG.info("Task {}: its invoice {} was posted before the agent stopped", task.id(), move.get("name"));
                return Reconciled.done(sent(move, "found posted in Odoo after a restart"));
            }
            return Reconciled.callAgain();
        } catch (OdooTransportException e) {
            throw new ProviderUnavailableException(e.getMessage() + " (looking up the invoice begun before a restart)", e);
        }
    }

    @Override
    public boolean reconciles() {
        return true;
    }

    @Override
    public Failure classify(Exception error) {
        return OdooFailures.classify(error);
    }

    private Map<String, Object> findByRef(String ref) throws Exception {
        List<Map<String, Object>> found = records(step("to look up the invoice by its reference " + ref, () -> odoo.call("account.move",
                "search_read", Map.of("domain", List.of(List.of("ref", "=", ref), List.of("move_type", "=", "out_invoice")),
                        "fields", MOVE_FIELDS))));
        // should someone have copied it in Odoo, the posted one is the invoice
        return found.stream().filter(m -> "posted".equals(m.get("state"))).findFirst().orElse(found.isEmpty() ? null : found.get(0));
    }

    private void post(int id, String what) throws Exception {
        try {
            odoo.call("account.move", "action_post", Map.of("ids", List.of(id)));
        } catch (OdooException e) {
            throw OdooFailures.refused("to post " + what, new OdooException(e.name(), e.getMessage().replaceFirst("\\.\\s*$", "")
                    + ". The draft stays in Odoo: fix it there and move this task back to Approved/ to post it (or delete the draft in Odoo"
                    + " to create it again from the front matter)", e.status()));
        }
    }

    private Map<String, Object> read(int id) throws Exception {
        List<Map<String, Object>> moves = records(step("to read back invoice " + id, () -> odoo.call("account.move", "read",
                Map.of("ids", List.of(id), "fields", MOVE_FIELDS))));
        if (moves.isEmpty()) {
            throw new OdooTransportException("Odoo did not return invoice " + id + " after posting it", true, null);
        }
        return moves.get(0);
    }

    /** The customer: by email, then by name, else a new contact. */
    private int partner(Invoice invoice) throws Exception {
        if (invoice.customerEmail() != null) {
            Optional<Integer> byEmail = firstOf("res.partner", List.of(List.of("email", "=ilike", literal(invoice.customerEmail()))), "the customer");
            if (byEmail.isPresent()) {
                return byEmail.get();
            }
        }
        Optional<Integer> byName = firstOf("res.partner", List.of(List.of("name", "=ilike", literal(invoice.customer()))), "the customer");
        if (byName.isPresent()) {
            return byName.get();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", invoice.customer());
        if (invoice.customerEmail() != null) {
            values.put("email", invoice.customerEmail());
        }
        int id = firstId(step("to create the customer " + invoice.customer(), () -> odoo.call("res.partner", "create",
                Map.of("vals_list", List.of(values)))));
        LOG.info("Odoo had no customer {}: created contact {}", invoice.customer(), id);
        return id;
    }

    private int currency(String code) throws Exception {
        return firstOf("res.currency", List.of(List.of("name", "=", code)), "the currency").orElseThrow(() -> new Executor.RefusedException(
                "Odoo has no active currency " + code + ": activate it in Odoo (Accounting, Configuration, Currencies) or change the task's"
                        + " currency, then move this task back to Approved/", null));
    }

    private Map<String, Object> lineValues(Invoice.Line line) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", line.description());
        // floats, as Odoo's fields are, the same over either API
        values.put("quantity", line.quantity().doubleValue());
        values.put("price_unit", line.unitPrice().doubleValue());
        if (line.product() != null) {
            Optional<Integer> product = firstOf("product.product", List.of(List.of("default_code", "=", line.product())), "the product");
            if (product.isEmpty()) {
                product = firstOf("product.product", List.of(List.of("name", "=", line.product())), "the product");
            }
            values.put("product_id", product.orElseThrow(() -> new Executor.RefusedException("Odoo has no product '" + line.product()
                    + "' (by internal reference or name): fix the line's product, or remove it, then move this task back to Approved/", null)));
        }
        if (!line.taxes().isEmpty()) {
            List<Integer> taxes = new ArrayList<>();
            for (String tax : line.taxes()) {
                taxes.add(firstOf("account.tax", List.of(List.of("name", "=", tax), List.of("type_tax_use", "=", "sale")), "the tax")
                        .orElseThrow(() -> new Executor.RefusedException("Odoo has no sales tax named '" + tax + "': use the tax's name as"
                                + " Odoo shows it, or remove it, then move this task back to Approved/", null)));
            }
            values.put("tax_ids", List.of(List.of(6, 0, taxes)));
        }
        return values;
    }

    private static Map<String, Object> moveValues(String ref, Invoice invoice, int partner, int currency, List<List<Object>> lines) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("move_type", "out_invoice");
        values.put("partner_id", partner);
        values.put("invoice_date", invoice.invoiceDate().toString());
        values.put("invoice_date_due", invoice.dueDate().toString());
        values.put("currency_id", currency);
        values.put("ref", ref);
        if (invoice.reference() != null) {
            values.put("invoice_origin", invoice.reference());
        }
        values.put("invoice_line_ids", lines);
        return values;
    }

    private Optional<Integer> firstOf(String model, List<?> domain, String what) throws Exception {
        List<Map<String, Object>> found = records(step("to look up " + what, () -> odoo.call(model, "search_read",
                Map.of("domain", domain, "fields", List.of("id"), "limit", 1))));
        return found.isEmpty() ? Optional.empty() : Optional.of(((Number) found.get(0).get("id")).intValue());
    }

    /** A value matched exactly, whatever its case: {@code =ilike} with its wildcards escaped. */
    private static String literal(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    interface OdooCall {
        Object call() throws OdooException, OdooTransportException;
    }

    static Object step(String what, OdooCall call) throws OdooException, OdooTransportException {
        try {
            return call.call();
        } catch (OdooException e) {
            throw OdooFailures.refused(what, e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> records(Object answer) throws OdooTransportException {
        if (!(answer instanceof List<?> list) || list.stream().anyMatch(m -> !(m instanceof Map))) {
            throw new OdooTransportException("Odoo's answer is not a list of records: " + answer, true, null);
        }
        return (List<Map<String, Object>>) list;
    }

    static int firstId(Object created) throws OdooTransportException {
        if (created instanceof List<?> ids && !ids.isEmpty() && ids.get(0) instanceof Number n) {
            return n.intValue();
        }
        if (created instanceof Number n) {
            return n.intValue();
        }
        throw new OdooTransportException("Odoo's answer to create is not an id: " + created, true, null);
    }

    /** A many2one as Odoo reads it, {@code [id, name]}: its name. */
    static String nameOf(Object many2one) {
        return many2one instanceof List<?> l && l.size() > 1 ? String.valueOf(l.get(1)) : "";
    }
}
