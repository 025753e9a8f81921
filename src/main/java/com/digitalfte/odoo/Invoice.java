package com.digitalfte.odoo;

import com.digitalfte.vault.TaskFile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The invoice of an {@code odoo_invoice} task, as its front matter holds it: {@code customer},
 * {@code customer_email}, {@code currency}, {@code invoice_date}, {@code due_date}, {@code lines}
 * (each a {@code description}, {@code quantity}, {@code unit_price}, optional {@code product} and
 * {@code tax}) and an optional {@code reference}. The front matter is what is posted; the
 * {@code ## Draft} shows it to the owner as a table ({@link InvoiceTable}). What nobody knew when it
 * was drafted is written {@code "?"} and is null here; {@link #problems()} lists it, with every value
 * that cannot be read, so an approval says at once all that is left to fill in.
 */
public final class Invoice {

    public static final String TYPE = "odoo_invoice";
    /** How an unknown value is written, for the owner to fill in. */
    public static final String UNKNOWN = "?";

    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** One line; a null field is not known yet. */
    public record Line(String description, BigDecimal quantity, BigDecimal unitPrice, String product, List<String> taxes) {

        public Line {
            taxes = taxes == null ? List.of() : List.copyOf(taxes);
        }

        /** Quantity times unit price, rounded to the cent; null while either is unknown. */
        public BigDecimal amount() {
            return quantity == null || unitPrice == null ? null : quantity.multiply(unitPrice).setScale(2, RoundingMode.HALF_UP);
        }
    }

    private final String customer;
    private final String customerEmail;
    private final String currency;
    private final LocalDate invoiceDate;
    private final LocalDate dueDate;
    private final String reference;
    private final List<Line> lines;
    private final List<String> problems;

    public Invoice(String customer, String customerEmail, String currency, LocalDate invoiceDate, LocalDate dueDate, String reference,
                   List<Line> lines) {
        this(customer, customerEmail, currency, invoiceDate, dueDate, reference, lines, null);
    }

    private Invoice(String customer, String customerEmail, String currency, LocalDate invoiceDate, LocalDate dueDate, String reference,
                    List<Line> lines, List<String> problems) {
        this.customer = customer;
        this.customerEmail = customerEmail;
        this.currency = currency;
        this.invoiceDate = invoiceDate;
        this.dueDate = dueDate;
        this.reference = reference;
        this.lines = List.copyOf(lines);
        this.problems = problems != null ? List.copyOf(problems) : unknowns(this);
    }

    /** The invoice the task's front matter holds, with what is missing or unreadable in {@link #problems()}. */
    public static Invoice of(TaskFile task) {
        Reader r = new Reader(task.frontMatter());
        String customer = r.text("customer");
        String email = r.text("customer_email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            r.problems.add("customer_email '" + email + "' is not an email address");
            email = null;
        }
        String currency = r.text("currency");
        if (currency != null && !CURRENCY.matcher(currency.toUpperCase(Locale.ROOT)).matches()) {
            r.problems.add("currency '" + currency + "' is not a three-letter code like EUR or USD");
            currency = null;
        }
        LocalDate invoiceDate = r.date("invoice_date");
        LocalDate dueDate = r.date("due_date");
        if (invoiceDate != null && dueDate != null && dueDate.isBefore(invoiceDate)) {
            r.problems.add("due_date " + dueDate + " is before invoice_date " + invoiceDate);
        }
        List<Line> lines = r.lines();
        Invoice read = new Invoice(customer, email, currency == null ? null : currency.toUpperCase(Locale.ROOT), invoiceDate, dueDate,
                r.text("reference"), lines, List.of());
        // a value that is there but unreadable is named once, with what is wrong with it
        List<String> problems = new ArrayList<>(unknowns(read).stream()
                .filter(u -> r.problems.stream().noneMatch(p -> p.startsWith(u.substring("fill in ".length()) + " "))).toList());
        problems.addAll(r.problems);
        return new Invoice(read.customer, read.customerEmail, read.currency, read.invoiceDate, read.dueDate, read.reference, read.lines,
                problems);
    }

    /**
     * This guess, with every field the task's front matter already has taken from the task: a task
     * the owner wrote keeps what the owner wrote, and only what is absent is guessed.
     */
    public Invoice under(TaskFile task) {
        Map<String, Object> fm = task.frontMatter();
        Invoice given = of(task);
        return new Invoice(fm.containsKey("customer") ? given.customer : customer,
                fm.containsKey("customer_email") ? given.customerEmail : customerEmail,
                fm.containsKey("currency") ? given.currency : currency,
                fm.containsKey("invoice_date") ? given.invoiceDate : invoiceDate,
                fm.containsKey("due_date") ? given.dueDate : dueDate,
                fm.containsKey("reference") ? given.reference : reference,
                fm.containsKey("lines") ? given.lines : lines);
    }

    /** Writes the invoice into the task's front matter, an unknown as {@code "?"}. */
    public void writeTo(TaskFile task) {
        task.with("customer", orUnknown(customer))
                .with("customer_email", customerEmail)
                .with("currency", orUnknown(currency))
                .with("invoice_date", invoiceDate == null ? UNKNOWN : invoiceDate.toString())
                .with("due_date", dueDate == null ? UNKNOWN : dueDate.toString())
                .with("reference", reference);
        List<Map<String, Object>> written = new ArrayList<>();
        for (Line line : lines) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", orUnknown(line.description()));
            m.put("quantity", line.quantity() == null ? UNKNOWN : line.quantity());
            m.put("unit_price", line.unitPrice() == null ? UNKNOWN : line.unitPrice());
            if (line.product() != null) {
                m.put("product", line.product());
            }
            if (!line.taxes().isEmpty()) {
                m.put("tax", line.taxes().size() == 1 ? line.taxes().get(0) : line.taxes());
            }
            written.add(m);
        }
        task.with("lines", written);
    }

    private static Object orUnknown(String s) {
        return s == null ? UNKNOWN : s;
    }

    private static List<String> unknowns(Invoice i) {
        List<String> missing = new ArrayList<>();
        if (i.customer == null) {
            missing.add("customer");
        }
        if (i.currency == null) {
            missing.add("currency");
        }
        if (i.invoiceDate == null) {
            missing.add("invoice_date");
        }
        if (i.dueDate == null) {
            missing.add("due_date");
        }
        if (i.lines.isEmpty()) {
            missing.add("lines (at least one: description, quantity, unit_price)");
        }
        for (int n = 0; n < i.lines.size(); n++) {
            Line l = i.lines.get(n);
            String at = "lines[" + (n + 1) + "].";
            if (l.description() == null) {
                missing.add(at + "description");
            }
            if (l.quantity() == null) {
                missing.add(at + "quantity");
            }
            if (l.unitPrice() == null) {
                missing.add(at + "unit_price");
            }
        }
        return missing.stream().map(m -> "fill in " + m).toList();
    }

    /** What must be filled in or fixed before it can be posted; empty when it is complete. */
    public List<String> problems() {
        return problems;
    }

    public boolean complete() {
        return problems.isEmpty();
    }

    /** The total before tax (Odoo adds the taxes); null while a line's amount is unknown. */
    public BigDecimal untaxedTotal() {
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (Line l : lines) {
            if (l.amount() == null) {
                return null;
            }
            total = total.add(l.amount());
        }
        return total;
    }

    public String customer() {
        return customer;
    }

    public String customerEmail() {
        return customerEmail;
    }

    public String currency() {
        return currency;
    }

    public LocalDate invoiceDate() {
        return invoiceDate;
    }

    public LocalDate dueDate() {
        return dueDate;
    }

    public String reference() {
        return reference;
    }

    public List<Line> lines() {
        return lines;
    }

    /** Reads the front matter leniently, noting each value it cannot use. */
    private static final class Reader {
        private final Map<String, Object> fm;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, Object> fm) {
            this.fm = fm;
        }

        /** A text value; null when absent or {@code "?"} (a required one is then listed by {@link #unknowns}). */
        String text(String key) {
            return text(fm.get(key));
        }

        static String text(Object value) {
            if (value == null || value instanceof Map || value instanceof List) {
                return null;
            }
            String s = String.valueOf(value).strip();
            return s.isEmpty() || s.equals(UNKNOWN) ? null : s;
        }

        LocalDate date(String key) {
            String s = text(fm.get(key));
            if (s == null) {
                return null;
            }
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                problems.add(key + " '" + s + "' is not a date like 2026-06-30");
                return null;
            }
        }

        List<Line> lines() {
            Object raw = fm.get("lines");
            List<Line> lines = new ArrayList<>();
            if (raw == null) {
                return lines;
            }
            if (!(raw instanceof List<?> list)) {
                problems.add("lines is not a list of lines (each a description, quantity and unit_price)");
                return lines;
            }
            for (int n = 0; n < list.size(); n++) {
                if (!(list.get(n) instanceof Map<?, ?> m)) {
                    problems.add("lines[" + (n + 1) + "] is not a description, quantity and unit_price");
                    continue;
                }
                String at = "lines[" + (n + 1) + "].";
                lines.add(new Line(text(m.get("description")), number(m.get("quantity"), at + "quantity", false),
                        number(m.get("unit_price"), at + "unit_price", true), text(m.get("product")), taxes(m.get("tax"))));
            }
            return lines;
        }

        private BigDecimal number(Object value, String name, boolean zeroAllowed) {
            String s = text(value);
            if (s == null) {
                return null;
            }
            BigDecimal n = value instanceof Number ? new BigDecimal(String.valueOf(value)) : Amounts.parse(s).orElse(null);
            if (n == null) {
                problems.add(name + " '" + s + "' is not a number");
                return null;
            }
            if (n.signum() < 0 || (!zeroAllowed && n.signum() == 0)) {
                problems.add(name + " " + s + " must be " + (zeroAllowed ? "zero or more" : "more than zero"));
                return null;
            }
            return n;
        }

        private static List<String> taxes(Object value) {
            if (value instanceof List<?> list) {
                return list.stream().map(Reader::text).filter(t -> t != null).toList();
            }
            String s = text(value);
            return s == null ? List.of() : List.of(s);
        }
    }
}
