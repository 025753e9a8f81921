package com.digitalfte.odoo;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.dashboard.DashboardSource;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Odoo on the Dashboard: a row under Agents (its version and API, the last call, whether it answers)
 * and a section with the invoices posted this week, from {@code Logs/odoo_transactions.jsonl}, and
 * when the bot's API key expires when Odoo says so. Nothing here changes unless something happened:
 * the time of a check is not shown, so an idle vault makes no commits.
 */
public final class OdooDashboard implements DashboardSource {

    /** How long before an API key expires the owner is warned. */
    static final int WARN_DAYS = 14;
    private static final int LINES_READ = 5000;

    private final Odoo odoo;
    private final Path transactions;
    private final Clock clock;
    private final ZoneId zone;

    public OdooDashboard(Odoo odoo, Path transactions, Clock clock, ZoneId zone) {
        this.odoo = odoo;
        this.transactions = transactions;
        this.clock = clock;
        this.zone = zone;
    }

    @Override
    public List<String> agentRow() {
        Odoo.Status s = odoo.status();
        String type = "odoo" + (s.version() == null ? "" : " " + s.version()) + (s.api() == null ? "" : " (" + s.api() + ")");
        String status = s.reachable() == null ? "not asked yet"
                : s.reachable() ? "reachable" + (s.problem() == null ? "" : ": " + s.problem())
                : "unreachable" + (s.problem() != null ? ": " + s.problem() : s.lastCallResult() != null ? ": " + s.lastCallResult() : "");
        return List.of("Odoo", type, s.lastCall() == null ? "no call yet" : s.lastCall() + " " + s.lastCallResult(), status);
    }

    @Override
    public String section() {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        Instant monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
        int count = 0;
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (Map<String, Object> line : JsonLines.tail(transactions, LINES_READ)) {
            if (!Invoice.TYPE.equals(line.get("type")) || !"posted".equals(line.get("state")) || !after(line.get("executed"), monday)) {
                continue;
            }
            count++;
            Amounts.parse(String.valueOf(line.get("total"))).ifPresent(t -> totals.merge(String.valueOf(line.get("currency")), t, BigDecimal::add));
        }
        StringBuilder sb = new StringBuilder("## Odoo\n\n- Invoices posted this week (since Monday): " + count);
        if (!totals.isEmpty()) {
            sb.append(", ").append(String.join(", ", totals.entrySet().stream().map(e -> Amounts.money(e.getValue()) + " " + e.getKey()).toList()));
        }
        sb.append('\n');
        LocalDate expires = odoo.status().keyExpires();
        if (expires != null) {
            sb.append("- The bot's API key expires on ").append(expires)
                    .append(keyWarning(odoo.status(), today).isPresent() ? ": **soon**, make a new one (docs/ODOO_SETUP.md)" : "").append('\n');
        }
        return sb.toString();
    }

    /** A warning for the owner when an API key of the bot expires within {@link #WARN_DAYS} days (or has), for the Problems list. */
    public static Optional<String> keyWarning(Odoo.Status status, LocalDate today) {
        LocalDate expires = status.keyExpires();
        if (expires == null || ChronoUnit.DAYS.between(today, expires) > WARN_DAYS) {
            return Optional.empty();
        }
        return Optional.of((expires.isAfter(today) ? "the Odoo API key expires on " + expires : "the Odoo API key expired on " + expires)
                + ": make a new one and set ODOO_API_KEY (docs/ODOO_SETUP.md)");
    }

    private static boolean after(Object executed, Instant since) {
        try {
            return executed != null && !Instant.parse(String.valueOf(executed)).isBefore(since);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
