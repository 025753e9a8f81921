package com.digitalfte.odoo;

import static com.digitalfte.odoo.OdooInvoiceAction.firstId;
import static com.digitalfte.odoo.OdooInvoiceAction.nameOf;
import static com.digitalfte.odoo.OdooInvoiceAction.records;
import static com.digitalfte.odoo.OdooInvoiceAction.step;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Executor;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An approved {@code odoo_payment}: a customer payment registered against a posted invoice through
 * Odoo's own wizard, {@code account.payment.register} created with {@code active_model} and
 * {@code active_ids} in the context, then {@code action_create_payments}. A payment is never tried
 * again on its own (DESIGN.md §7): whatever fails before the wizard acts is refused, nothing having
 * been paid; a wizard that may have acted without the agent hearing back, or a restart in between,
 * leaves the task uncertain for the owner to check in Odoo.
 */
public final class OdooPaymentAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(OdooPaymentAction.class);

    private final Odoo odoo;

    public OdooPaymentAction(Odoo odoo) {
        this.odoo = odoo;
    }

    @Override
    public String name() {
        return Payment.TYPE;
    }

    @Override
    public String logFile() {
        return "odoo_transactions.jsonl";
    }

    @Override
    public Request request(TaskFile task) throws TaskFormatException {
        Payment payment = Payment.of(task);
        if (!payment.problems().isEmpty()) {
            throw new TaskFormatException("the payment cannot be registered yet: " + String.join("; ", payment.problems())
                    + ". Fill it in, then move this task back to Approved/.");
        }
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("invoice", payment.invoice());
        what.put("amount", payment.amount().map(BigDecimal::toPlainString).orElse("due"));
        what.put("payment_date", payment.paymentDate().toString());
        what.put("journal", payment.journal().orElse(""));
        try {
            return new Request(payment, Json2Api.JSON.writeValueAsBytes(what));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Object call(Execution execution) throws Exception {
        Payment payment = (Payment) execution.payload();
        Map<String, Object> invoice;
        Map<String, Object> context;
        int wizard;
        try {
            invoice = invoice(payment.invoice());
            context = Map.of("active_model", "account.move", "active_ids", List.of(invoice.get("id")));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("payment_date", payment.paymentDate().toString());
            payment.amount().ifPresent(a -> values.put("amount", a.doubleValue()));
            if (payment.journal().isPresent()) {
                values.put("journal_id", journal(payment.journal().get()));
            }
            wizard = firstId(step("to prepare the payment", () -> odoo.call("account.payment.register", "create",
                    Map.of("vals_list", List.of(values), "context", context))));
        } catch (OdooTransportException e) {
            throw notRegistered("Odoo could not be asked (" + e.getMessage() + ")");
        } catch (Exception e) {
            throw notRegistered(e.getMessage());
        }
        Object answer;
        try {
            answer = step("to register the payment", () -> odoo.call("account.payment.register", "action_create_payments",
                    Map.of("ids", List.of(wizard), "context", context)));
        } catch (OdooException e) {
            // Odoo said no and rolled the payment back
            throw notRegistered(e.getMessage());
        } catch (OdooTransportException e) {
            if (e.sent()) {
                throw e;
            }
            throw notRegistered(e.getMessage());
        }
        LOG.info("Task {}: payment registered in Odoo against invoice {}", execution.task().id(), invoice.get("name"));
        return new Registered(invoice, answer instanceof Map<?, ?> action && action.get("res_id") instanceof Number id ? id.intValue() : null,
                wizard, paymentStateAfter(((Number) invoice.get("id")).intValue()));
    }

    private record Registered(Map<String, Object> invoice, Integer paymentId, int wizard, String paymentState) {
    }

    /** Certainly not paid: the words the owner reads in Failed/ (the refusal's own message, so it has no cause). */
    private static Executor.RefusedException notRegistered(String why) {
        return new Executor.RefusedException(why + "; no payment was registered. Move this task back to Approved/ to try again.", null);
    }

    @Override
    public Sent sent(Execution execution, Object response) {
        Registered r = (Registered) response;
        Payment payment = (Payment) execution.payload();
        Map<String, String> result = new LinkedHashMap<>();
        result.put("invoice", String.valueOf(r.invoice().get("name")));
        result.put("invoice_id", String.valueOf(r.invoice().get("id")));
        result.put("amount", payment.amount().map(a -> a.setScale(2, RoundingMode.HALF_UP).toPlainString())
                .orElse(r.invoice().get("amount_residual") instanceof Number n
                        ? BigDecimal.valueOf(n.doubleValue()).setScale(2, RoundingMode.HALF_UP).toPlainString() : "all due"));
        result.put("currency", nameOf(r.invoice().get("currency_id")));
        result.put("payment_id", r.paymentId() == null ? "" : String.valueOf(r.paymentId()));
        result.put("invoice_payment_state", r.paymentState());
        return new Sent(r.paymentId() == null ? "payment-register-" + r.wizard() : String.valueOf(r.paymentId()), result);
    }

    /** Refused when certainly not paid (see {@link #call}); anything else may have paid, and is never tried again. */
    @Override
    public Failure classify(Exception error) {
        if (error instanceof Executor.RefusedException) {
            return Failure.refused(error.getMessage());
        }
        return Failure.maybeDone(error instanceof OdooTransportException ? error.getMessage()
                : "the call to Odoo failed (" + Json2Api.describe(error) + ")");
    }

    /** The posted customer invoice by its number or its ref (the invoice task's id), with what is still due. */
    private Map<String, Object> invoice(String invoice) throws Exception {
        List<Map<String, Object>> found = records(step("to look up invoice " + invoice, () -> odoo.call("account.move", "search_read",
                Map.of("domain", List.of(List.of("move_type", "=", "out_invoice"), List.of("state", "=", "posted"), "|",
                                List.of("name", "=", invoice), List.of("ref", "=", invoice)),
                        "fields", List.of("id", "name", "amount_residual", "currency_id", "payment_state"), "limit", 1))));
        if (found.isEmpty()) {
            throw new Executor.RefusedException("Odoo has no posted customer invoice " + invoice + " (by number or by ref)", null);
        }
        Map<String, Object> move = found.get(0);
        if (List.of("paid", "in_payment", "reversed").contains(String.valueOf(move.get("payment_state")))) {
            throw new Executor.RefusedException("invoice " + move.get("name") + " is " + move.get("payment_state") + " in Odoo already", null);
        }
        return move;
    }

    private int journal(String name) throws Exception {
        List<Map<String, Object>> found = records(step("to look up the journal " + name, () -> odoo.call("account.journal", "search_read",
                Map.of("domain", List.of(List.of("name", "=", name), List.of("type", "in", List.of("bank", "cash"))),
                        "fields", List.of("id"), "limit", 1))));
        if (found.isEmpty()) {
            throw new Executor.RefusedException("Odoo has no bank or cash journal named '" + name + "'", null);
        }
        return ((Number) found.get(0).get("id")).intValue();
    }

    /** The invoice's payment state after the payment, for the owner; a failure here changes nothing about what was done. */
    private String paymentStateAfter(int invoiceId) {
        try {
            List<Map<String, Object>> moves = records(odoo.call("account.move", "read", Map.of("ids", List.of(invoiceId), "fields",
                    List.of("payment_state"))));
            return moves.isEmpty() ? "" : String.valueOf(moves.get(0).get("payment_state"));
        } catch (Exception e) {
            LOG.warn("The payment was registered; Odoo's invoice {} could not be read back ({})", invoiceId, e.getMessage());
            return "not read back";
        }
    }
}
