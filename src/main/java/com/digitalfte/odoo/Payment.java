package com.digitalfte.odoo;

import com.digitalfte.vault.TaskFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payment of an {@code odoo_payment} task: a customer's payment registered against a posted
 * invoice. Front matter: {@code invoice} (its number in Odoo, {@code INV/2026/00001}, or the id of the
 * invoice task, {@code INVOICE_...}), {@code payment_date}, and optionally {@code amount} (absent: all
 * that is due) and {@code journal} (absent: Odoo's default bank journal). Unknowns are {@code "?"}.
 */
public final class Payment {

    public static final String TYPE = "odoo_payment";
    private static final Pattern NUMBER_IN_TEXT = Pattern.compile("\\b[A-Z]{2,5}/\\d{4}/\\d{1,6}\\b");

    private final String invoice;
    private final BigDecimal amount;
    private final LocalDate paymentDate;
    private final String journal;
    private final List<String> problems;

    private Payment(String invoice, BigDecimal amount, LocalDate paymentDate, String journal, List<String> problems) {
        this.invoice = invoice;
        this.amount = amount;
        this.paymentDate = paymentDate;
        this.journal = journal;
        this.problems = List.copyOf(problems);
    }

    public static Payment of(TaskFile task) {
        List<String> problems = new ArrayList<>();
        String invoice = text(task.frontMatter().get("invoice"));
        if (invoice == null) {
            problems.add("fill in invoice (its number in Odoo, or the INVOICE_... task id)");
        }
        BigDecimal amount = null;
        Object rawAmount = task.frontMatter().get("amount");
        if (rawAmount != null) {
            String a = text(rawAmount);
            amount = a == null ? null : Amounts.parse(a).filter(n -> n.signum() > 0).orElse(null);
            if (a == null) {
                problems.add("fill in amount (or remove it to pay all that is due)");
            } else if (amount == null) {
                problems.add("amount '" + a + "' is not an amount above zero");
            }
        }
        LocalDate date = null;
        String d = text(task.frontMatter().get("payment_date"));
        if (d == null) {
            problems.add("fill in payment_date");
        } else {
            try {
                date = LocalDate.parse(d);
            } catch (DateTimeParseException e) {
                problems.add("payment_date '" + d + "' is not a date like 2026-06-30");
            }
        }
        return new Payment(invoice, amount, date, text(task.frontMatter().get("journal")), problems);
    }

    /**
     * Fills a payment step's front matter (the invoice number when the message names one, paid today,
     * the amount for the owner to say) where it has none; returns its {@code ## Draft}.
     */
    public static String draftInto(TaskFile task, String message, LocalDate today) {
        Matcher m = NUMBER_IN_TEXT.matcher(message == null ? "" : message);
        if (!task.frontMatter().containsKey("invoice")) {
            task.with("invoice", m.find() ? m.group() : Invoice.UNKNOWN);
        }
        if (!task.frontMatter().containsKey("amount")) {
            task.with("amount", Invoice.UNKNOWN);
        }
        if (!task.frontMatter().containsKey("payment_date")) {
            task.with("payment_date", today.toString());
        }
        return of(task).draft();
    }

    /** The {@code ## Draft}: what will be registered, and what is left to fill in. */
    public String draft() {
        StringBuilder sb = new StringBuilder("**Payment** received for invoice " + (invoice == null ? "**?**" : invoice) + ": "
                + (amount == null ? (problems.stream().anyMatch(p -> p.contains("amount")) ? "**?**" : "all that is due") : Amounts.money(amount))
                + ", on " + (paymentDate == null ? "**?**" : paymentDate) + (journal == null ? "" : ", into " + journal) + ".\n\n"
                + "A payment is registered once and never tried again on its own: if the agent cannot tell whether Odoo took it,"
                + " the task goes to Failed/ marked uncertain for you to check in Odoo.");
        if (!problems.isEmpty()) {
            sb.append("\n\n**Before you approve:** ").append(String.join("; ", problems)).append(" (in the front matter).");
        }
        return sb.toString();
    }

    private static String text(Object value) {
        if (value == null || value instanceof java.util.Map || value instanceof List) {
            return null;
        }
        String s = String.valueOf(value).strip();
        return s.isEmpty() || s.equals(Invoice.UNKNOWN) ? null : s;
    }

    public List<String> problems() {
        return problems;
    }

    public String invoice() {
        return invoice;
    }

    /** Empty: all that is due. */
    public Optional<BigDecimal> amount() {
        return Optional.ofNullable(amount);
    }

    public LocalDate paymentDate() {
        return paymentDate;
    }

    public Optional<String> journal() {
        return Optional.ofNullable(journal);
    }
}
