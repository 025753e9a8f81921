package com.digitalfte.odoo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amounts and quantities as people write them in a note: {@code 100}, {@code 1,200.50},
 * {@code 1.200,50}, {@code 1 200,50}, {@code €100}, {@code 100 EUR}, {@code **12**}. A lone
 * separator followed by exactly three digits groups thousands ({@code 1,200}); otherwise it is the
 * decimal mark. Written back with a point and thousands grouped ({@code 1,200.00}), which reads the
 * same in every table here.
 */
public final class Amounts {

    private static final Map<String, String> SYMBOLS = Map.of("€", "EUR", "$", "USD", "£", "GBP", "¥", "JPY", "₹", "INR");
    private static final Pattern CODE = Pattern.compile("\\b([A-Z]{3})\\b");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9 ,.\\u00a0\\u202f']*");

    private Amounts() {
    }

    /** The number in the text, or empty when it holds none (or more than one). */
    public static Optional<BigDecimal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.replace("*", "").replace("`", "").strip();
        Matcher m = NUMBER.matcher(t);
        if (!m.find()) {
            return Optional.empty();
        }
        String digits = m.group().strip().replaceAll("[ \\u00a0\\u202f']", "");
        if (m.find()) {
            return Optional.empty();
        }
        int comma = digits.lastIndexOf(',');
        int point = digits.lastIndexOf('.');
        String plain;
        if (comma >= 0 && point >= 0) {
            char decimal = comma > point ? ',' : '.';
            char grouping = decimal == ',' ? '.' : ',';
            plain = digits.replace(String.valueOf(grouping), "").replace(decimal, '.');
        } else if (comma >= 0) {
            plain = digits.indexOf(',') != comma || digits.length() - comma - 1 == 3 ? digits.replace(",", "") : digits.replace(',', '.');
        } else if (point >= 0 && digits.indexOf('.') != point) {
            plain = digits.replace(".", "");
        } else {
            plain = digits;
        }
        if (plain.endsWith(".")) {
            plain = plain.substring(0, plain.length() - 1);
        }
        try {
            return Optional.of(new BigDecimal(plain));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The currency a cell names by its symbol or ISO code ({@code €100}, {@code 100 CHF}), if any. */
    public static Optional<String> currencyIn(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> s : SYMBOLS.entrySet()) {
            if (text.contains(s.getKey())) {
                return Optional.of(s.getValue());
            }
        }
        Matcher m = CODE.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Money: two decimals, thousands grouped. */
    public static String money(BigDecimal amount) {
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(amount.setScale(2, RoundingMode.HALF_UP));
    }

    /** A quantity or a price as given, without trailing zeros ({@code 12}, {@code 1.5}, {@code 99.90} stays {@code 99.9}). */
    public static String plain(BigDecimal number) {
        BigDecimal n = number.stripTrailingZeros();
        return (n.scale() < 0 ? n.setScale(0) : n).toPlainString();
    }

    /** A unit price: at least two decimals ({@code 100.00}, {@code 0.125}). */
    public static String price(BigDecimal number) {
        BigDecimal n = number.stripTrailingZeros();
        return n.scale() <= 2 ? money(number) : new DecimalFormat("#,##0.00########", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(n);
    }
}
