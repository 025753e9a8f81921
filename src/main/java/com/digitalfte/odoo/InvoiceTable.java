package com.digitalfte.odoo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The invoice as the owner reads it in the {@code ## Draft}: who, which currency, the dates, and a
 * Markdown table of the lines with the total before tax. The front matter is what is posted, so at
 * approval the table is read back and must say the same; where it does not, {@link #disagreement}
 * says what differs, so nobody approves numbers other than those Odoo will get.
 */
public final class InvoiceTable {

    private static final String TOTAL = "Total before tax";

    private InvoiceTable() {
    }

    /** The {@code ## Draft} of an invoice: its summary line, the table, and what is left to fill in. */
    public static String draft(Invoice invoice, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append(summary(invoice)).append("\n\n").append(table(invoice)).append('\n');
        sb.append("\nTaxes are added by Odoo as its settings say; the total it posts is recorded when the invoice is done.\n");
        if (!invoice.problems().isEmpty()) {
            sb.append("\n**Before you approve:** ").append(String.join("; ", invoice.problems())).append(" (in the front matter).\n");
        }
        for (String note : notes) {
            sb.append("\n").append(note).append('\n');
        }
        sb.append("\nWhat is posted is the front matter above. If you change it, make this table say the same:"
                + " an approval whose table and front matter disagree is refused.");
        return sb.toString();
    }

    static String summary(Invoice i) {
        return "**Invoice** to " + cell(i.customer()) + (i.customerEmail() == null ? "" : " <" + i.customerEmail() + ">")
                + ", in " + cell(i.currency()) + ", dated " + cell(i.invoiceDate() == null ? null : i.invoiceDate().toString())
                + ", due " + cell(i.dueDate() == null ? null : i.dueDate().toString())
                + (i.reference() == null ? "" : ", reference " + i.reference()) + ".";
    }

    /** The lines as a table; a Product and a Tax column only when a line has one. */
    public static String table(Invoice invoice) {
        boolean products = invoice.lines().stream().anyMatch(l -> l.product() != null);
        boolean taxes = invoice.lines().stream().anyMatch(l -> !l.taxes().isEmpty());
        List<String> header = new ArrayList<>(List.of("#", "Description"));
        List<String> align = new ArrayList<>(List.of("---:", "---"));
        if (products) {
            header.add("Product");
            align.add("---");
        }
        if (taxes) {
            header.add("Tax");
            align.add("---");
        }
        header.addAll(List.of("Quantity", "Unit price", "Amount"));
        align.addAll(List.of("---:", "---:", "---:"));
        StringBuilder sb = new StringBuilder();
        row(sb, header);
        row(sb, align);
        int n = 0;
        for (Invoice.Line l : invoice.lines()) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(++n), cell(l.description())));
            if (products) {
                cells.add(l.product() == null ? "" : cell(l.product()));
            }
            if (taxes) {
                cells.add(cell(String.join(", ", l.taxes())));
            }
            cells.add(l.quantity() == null ? cell(null) : Amounts.plain(l.quantity()));
            cells.add(l.unitPrice() == null ? cell(null) : Amounts.price(l.unitPrice()));
            cells.add(l.amount() == null ? cell(null) : Amounts.money(l.amount()));
            row(sb, cells);
        }
        List<String> total = new ArrayList<>(List.of("", "**" + TOTAL + "**"));
        for (int i = 2; i < header.size() - 1; i++) {
            total.add("");
        }
        BigDecimal sum = invoice.untaxedTotal();
        total.add(sum == null ? cell(null) : "**" + Amounts.money(sum) + (invoice.currency() == null ? "" : " " + invoice.currency()) + "**");
        row(sb, total);
        return sb.toString().stripTrailing();
    }

    /** An unknown stands out in bold; a pipe in a value does not split the row. */
    private static String cell(String value) {
        return value == null || value.isBlank() ? "**" + Invoice.UNKNOWN + "**" : value.replace("|", "\\|").replaceAll("\\s+", " ");
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append('|');
        cells.forEach(c -> sb.append(c.isEmpty() ? " " : " " + c + " ").append('|'));
        sb.append('\n');
    }

    /**
     * How the draft's table differs from the invoice in the front matter, in words, or empty when it
     * says the same (lines, quantities, prices, amounts, and the total when it shows one).
     */
    public static Optional<String> disagreement(Invoice invoice, String draft) {
        String[] lines = (draft == null ? "" : draft).replace("\r\n", "\n").split("\n");
        int header = -1;
        for (int i = 0; i + 1 < lines.length; i++) {
            String h = lines[i].toLowerCase(Locale.ROOT);
            if (h.contains("|") && h.contains("description") && h.contains("quantity") && lines[i + 1].contains("-")) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            return Optional.of("the ## Draft shows no invoice table (# | Description | Quantity | Unit price | Amount)");
        }
        List<String> names = Rates.cells(lines[header]).stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        List<String> differences = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<String> totalRow = null;
        for (int i = header + 2; i < lines.length && lines[i].contains("|"); i++) {
            List<String> cells = Rates.cells(lines[i]);
            String first = at(cells, names.indexOf("#"));
            if (first.matches("\\d+")) {
                rows.add(cells);
            } else if (cells.stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).contains("total"))) {
                totalRow = cells;
            }
        }
        List<Invoice.Line> posted = invoice.lines();
        if (rows.size() != posted.size()) {
            differences.add("the table has " + rows.size() + " line(s), the front matter " + posted.size());
        }
        for (int n = 0; n < Math.min(rows.size(), posted.size()); n++) {
            List<String> cells = rows.get(n);
            Invoice.Line l = posted.get(n);
            String at = "line " + (n + 1) + " ";
            text(differences, at + "description", at(cells, names.indexOf("description")), l.description());
            number(differences, at + "quantity", at(cells, names.indexOf("quantity")), l.quantity());
            number(differences, at + "unit price", at(cells, names.indexOf("unit price")), l.unitPrice());
            if (names.contains("amount")) {
                number(differences, at + "amount", at(cells, names.indexOf("amount")), l.amount());
            }
            if (names.contains("product") || l.product() != null) {
                text(differences, at + "product", names.contains("product") ? at(cells, names.indexOf("product")) : "", l.product());
            }
            if (names.contains("tax") || !l.taxes().isEmpty()) {
                text(differences, at + "tax", names.contains("tax") ? at(cells, names.indexOf("tax")) : "",
                        l.taxes().isEmpty() ? null : String.join(", ", l.taxes()));
            }
        }
        if (totalRow != null && names.contains("amount")) {
            number(differences, "the total", at(totalRow, names.indexOf("amount")), invoice.untaxedTotal());
        }
        return differences.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differences));
    }

    private static String at(List<String> cells, int index) {
        return index >= 0 && index < cells.size() ? cells.get(index) : "";
    }

    private static void text(List<String> differences, String what, String shown, String posted) {
        String s = shown.replace("\\|", "|").replaceAll("\\s+", " ").strip();
        String p = posted == null ? "" : posted.replaceAll("\\s+", " ").strip();
        if (s.equals(Invoice.UNKNOWN)) {
            s = "";
        }
        if (!s.equals(p)) {
            differences.add(what + " is '" + s + "' in the table, '" + p + "' in the front matter");
        }
    }

    private static void number(List<String> differences, String what, String shown, BigDecimal posted) {
        BigDecimal s = shown.strip().equals(Invoice.UNKNOWN) ? null : Amounts.parse(shown).orElse(null);
        boolean same = s == null || posted == null ? s == null && posted == null : s.compareTo(posted) == 0;
        if (!same) {
            differences.add(what + " is " + (s == null ? "'" + shown + "'" : Amounts.plain(s)) + " in the table, "
                    + (posted == null ? Invoice.UNKNOWN : Amounts.plain(posted)) + " in the front matter");
        }
    }
}
