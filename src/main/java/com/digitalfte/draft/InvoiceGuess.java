package com.digitalfte.draft;

import com.digitalfte.odoo.Amounts;
import com.digitalfte.odoo.Invoice;
import com.digitalfte.odoo.Rates;
import com.digitalfte.vault.TaskFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invoice a message asks for, as far as its words and the owner's rates tell, with no model:
 * the customer from the sender, the currency and payment terms from {@code Accounting/Rates.md},
 * a line for each service of the rates the message names, priced at its rate, with the quantity
 * written next to it ("12 hours of consulting"); a fixed-price service counts once. Nothing is
 * invented: what the message does not say stays unknown for the owner to fill in, and a field the
 * task already has (an invoice the owner wrote) is kept as it is.
 */
public final class InvoiceGuess {

    private static final Pattern FIXED = Pattern.compile("fixed|flat|one-off|once|each|item|piece|project|lump sum|package|unit");
    private static final Map<String, String> UNIT_WORDS = Map.of(
            "hour", "hours|hour|hrs|hr|h", "day", "days|day", "week", "weeks|week|wks|wk", "month", "months|month", "page", "pages|page",
            "word", "words|word", "session", "sessions|session", "visit", "visits|visit", "user", "users|user", "license", "licenses|license");
    private static final String NUMBER = "(\\d+(?:[.,]\\d+)?)";
    private static final int NEAR = 80;

    private InvoiceGuess() {
    }

    public static Invoice from(TaskFile task, Rates rates, LocalDate today) {
        String text = task.getOrEmpty("subject") + "\n" + task.section(TaskFile.ORIGINAL).orElse("");
        return new Invoice(displayName(task.getOrEmpty("from")), emailOf(task.getOrEmpty("from")), rates.currency().orElse(null), today,
                rates.paymentDays().map(today::plusDays).orElse(null), null, lines(text, rates)).under(task);
    }

    /** A line for each service of the rates the text names, in the order it names them; one unknown line if it names none. */
    static List<Invoice.Line> lines(String text, Rates rates) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<int[]> taken = new ArrayList<>();
        List<Map.Entry<Integer, Invoice.Line>> found = new ArrayList<>();
        for (Rates.Rate rate : rates.longestFirst()) {
            Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(rate.service().toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])")
                    .matcher(lower);
            while (m.find()) {
                int start = m.start();
                int end = m.end();
                if (taken.stream().anyMatch(t -> start < t[1] && end > t[0])) {
                    continue;
                }
                taken.add(new int[] {start, end});
                found.add(Map.entry(start, line(rate, quantity(lower, start, end, rate.unit()))));
                break;
            }
        }
        if (found.isEmpty()) {
            return List.of(new Invoice.Line(null, null, null, null, List.of()));
        }
        found.sort(Comparator.comparing(Map.Entry::getKey));
        return found.stream().map(Map.Entry::getValue).toList();
    }

    /** A line at the rate's price: the price, product and tax come from the owner's rates, never from the message. */
    public static Invoice.Line line(Rates.Rate rate, BigDecimal quantity) {
        return new Invoice.Line(rate.service(), quantity, rate.price(), rate.product(), rate.tax() == null ? List.of() : List.of(rate.tax()));
    }

    /** The number written with the rate's unit near the service's name; 1 for a fixed price unless "2 x" stands before it. */
    private static BigDecimal quantity(String text, int start, int end, String unit) {
        String u = unit == null ? "" : unit.toLowerCase(Locale.ROOT).replaceFirst("^(per|/)\\s*", "").strip();
        if (u.isEmpty() || FIXED.matcher(u).matches()) {
            Matcher times = Pattern.compile(NUMBER + "\\s*(?:x|×)?\\s*$").matcher(text.substring(Math.max(0, start - 12), start));
            return times.find() ? Amounts.parse(times.group(1)).orElse(BigDecimal.ONE) : BigDecimal.ONE;
        }
        String singular = u.replaceFirst("ly$", "").replaceFirst("i$", "y").replaceFirst("s$", "");
        String words = UNIT_WORDS.getOrDefault(singular.equals("h") || singular.equals("hr") ? "hour" : singular,
                Pattern.quote(singular) + "s|" + Pattern.quote(singular));
        Matcher m = Pattern.compile(NUMBER + "\\s*(?:" + words + ")\\b").matcher(text);
        BigDecimal best = null;
        int distance = Integer.MAX_VALUE;
        while (m.find()) {
            int d = m.end() <= start ? start - m.end() : Math.max(0, m.start() - end);
            if (d <= NEAR && d < distance) {
                distance = d;
                best = Amounts.parse(m.group(1)).orElse(null);
            }
        }
        return best;
    }

    /** "Kim Lee &lt;kim@example.com&gt;" gives "Kim Lee"; a bare address gives no name. */
    static String displayName(String from) {
        String f = from.strip();
        int lt = f.indexOf('<');
        String name = lt > 0 ? f.substring(0, lt).replace("\"", "").strip() : "";
        return name.isEmpty() ? null : name;
    }

    static String emailOf(String from) {
        String address = Examples.address(from);
        return address.contains("@") ? address : null;
    }
}
