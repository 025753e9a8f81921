package com.digitalfte.odoo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Accounting/Rates.md}, the owner's rates as a Markdown table: read by its header (a service
 * column, a rate or price column; optionally unit, currency, tax, product code) wherever the table
 * sits in the note, with or without outer pipes, bold or aligned. A currency is taken from a
 * {@code Currency: EUR} line, the rate's header ({@code Rate (EUR)}) or the cell ({@code €100});
 * payment terms from a {@code Payment terms: 30 days} line. A row whose rate cannot be read is left
 * out and named in {@link #problems()}, so a typo never prices a line at zero.
 */
public final class Rates {

    /** One service the owner bills for. */
    public record Rate(String service, String unit, BigDecimal price, String currency, String tax, String product) {
    }

    private static final Pattern CURRENCY_LINE = Pattern.compile("(?im)^[\\s>*_-]*currency\\s*[*_]*\\s*[:=]\\s*[*_]*\\s*([A-Za-z]{3})\\b");
    private static final Pattern TERMS_LINE = Pattern.compile("(?im)^[\\s>*_-]*(?:payment terms|payment term|due|terms)\\s*[*_]*\\s*[:=]\\s*[*_]*[^0-9\\n]*(\\d{1,3})\\s*days?");
    private static final Pattern SEPARATOR = Pattern.compile("^\\|?\\s*:?-{2,}:?\\s*(\\|\\s*:?-{2,}:?\\s*)*\\|?$");

    private final List<Rate> rates;
    private final String currency;
    private final Integer paymentDays;
    private final List<String> problems;

    private Rates(List<Rate> rates, String currency, Integer paymentDays, List<String> problems) {
        this.rates = List.copyOf(rates);
        this.currency = currency;
        this.paymentDays = paymentDays;
        this.problems = List.copyOf(problems);
    }

    public static Rates none() {
        return new Rates(List.of(), null, null, List.of());
    }

    public static Rates parse(String markdown) {
        String text = markdown == null ? "" : markdown.replace("\r\n", "\n");
        Matcher c = CURRENCY_LINE.matcher(text);
        String noteCurrency = c.find() ? c.group(1).toUpperCase(Locale.ROOT) : null;
        Matcher t = TERMS_LINE.matcher(text);
        Integer days = t.find() ? Integer.valueOf(t.group(1)) : null;
        List<String> problems = new ArrayList<>();
        List<Rate> rates = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].contains("|") || !SEPARATOR.matcher(lines[i + 1].strip()).matches()) {
                continue;
            }
            Columns columns = Columns.of(cells(lines[i]));
            int end = i + 2;
            while (end < lines.length && lines[end].contains("|")) {
                end++;
            }
            if (columns != null) {
                for (int r = i + 2; r < end; r++) {
                    row(cells(lines[r]), columns, noteCurrency, problems).ifPresent(rates::add);
                }
            }
            i = end - 1;
        }
        return new Rates(rates, noteCurrency, days, problems);
    }

    public List<Rate> all() {
        return rates;
    }

    /** The rate for a service, by its name in any case and spacing. */
    public Optional<Rate> find(String service) {
        if (service == null) {
            return Optional.empty();
        }
        String key = normal(service);
        return rates.stream().filter(r -> normal(r.service()).equals(key)).findFirst();
    }

    /** The rates, longest service name first: "Project setup" is looked for before "Project". */
    public List<Rate> longestFirst() {
        return rates.stream().sorted(Comparator.comparingInt((Rate r) -> r.service().length()).reversed()).toList();
    }

    /** The currency the note names, else the one all its rates share, else none. */
    public Optional<String> currency() {
        if (currency != null) {
            return Optional.of(currency);
        }
        List<String> used = rates.stream().map(Rate::currency).filter(x -> x != null).distinct().toList();
        return used.size() == 1 ? Optional.of(used.get(0)) : Optional.empty();
    }

    public Optional<Integer> paymentDays() {
        return Optional.ofNullable(paymentDays);
    }

    /** Rows that were left out, and why, for the owner to fix. */
    public List<String> problems() {
        return problems;
    }

    private static Optional<Rate> row(List<String> cells, Columns col, String noteCurrency, List<String> problems) {
        String service = col.get(cells, col.service);
        if (service.isBlank()) {
            return Optional.empty();
        }
        String rateCell = col.get(cells, col.rate);
        Optional<BigDecimal> price = Amounts.parse(rateCell);
        if (price.isEmpty() || price.get().signum() < 0) {
            problems.add("Rates.md: the rate of '" + service + "' ('" + rateCell + "') is not an amount; that row is not used");
            return Optional.empty();
        }
        String currency = col.currency >= 0 ? col.get(cells, col.currency).toUpperCase(Locale.ROOT) : "";
        if (currency.isBlank()) {
            currency = Amounts.currencyIn(rateCell).orElse(col.headerCurrency != null ? col.headerCurrency : noteCurrency);
        }
        return Optional.of(new Rate(service, blankToNull(col.get(cells, col.unit)), price.get(), blankToNull(currency),
                blankToNull(col.get(cells, col.tax)), blankToNull(col.get(cells, col.product))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The cells of a table row, outer pipes optional, Markdown emphasis removed. */
    static List<String> cells(String line) {
        String l = line.strip();
        if (l.startsWith("|")) {
            l = l.substring(1);
        }
        if (l.endsWith("|") && !l.endsWith("\\|")) {
            l = l.substring(0, l.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : l.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.replace("\\|", "|").replaceAll("(\\*\\*|__|`)", "").strip());
        }
        return cells;
    }

    private static String normal(String s) {
        return s.replaceAll("[\\s*_`]+", " ").strip().toLowerCase(Locale.ROOT);
    }

    /** Which column holds what, from the header's words. */
    private record Columns(int service, int unit, int rate, int currency, int tax, int product, String headerCurrency) {

        static Columns of(List<String> header) {
            int service = -1, unit = -1, rate = -1, currency = -1, tax = -1, product = -1, name = -1;
            String headerCurrency = null;
            for (int i = 0; i < header.size(); i++) {
                String h = normal(header.get(i));
                String word = h.replaceAll("\\(.*\\)", "").strip();
                if (rate < 0 && word.matches(".*\\b(rate|price|fee|cost|amount)\\b.*")) {
                    rate = i;
                    headerCurrency = Amounts.currencyIn(header.get(i).replaceAll("(?i)rate|price|fee|cost|amount|unit", "")).orElse(null);
                } else if (service < 0 && word.matches("(service|services|item|items|description|work|task|activity)")) {
                    service = i;
                } else if (unit < 0 && word.matches("(unit|units|per|billing|billed|uom|unit of measure)")) {
                    unit = i;
                } else if (currency < 0 && word.matches("(currency|cur|ccy)")) {
                    currency = i;
                } else if (tax < 0 && word.matches("(tax|taxes|vat|gst|sales tax)")) {
                    tax = i;
                } else if (product < 0 && word.matches("(product code|code|sku|internal reference|reference|odoo product)")) {
                    product = i;
                } else if (name < 0 && word.matches("(name|product|products)")) {
                    name = i;
                }
            }
            if (service < 0) {
                service = name;
            } else if (product < 0) {
                product = name;
            }
            return service < 0 || rate < 0 ? null : new Columns(service, unit, rate, currency, tax, product, headerCurrency);
        }

        String get(List<String> cells, int index) {
            return index >= 0 && index < cells.size() ? cells.get(index) : "";
        }
    }
}
