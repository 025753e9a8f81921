package com.digitalfte.channel.http;

import com.digitalfte.channel.ChannelStatus;
import com.digitalfte.channel.FieldMapping;
import com.digitalfte.vault.DurableFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a poll of a pay-per-use API read this month (UTC), counted by kind from each page it got
 * ({@code posts=/data, users=/includes/users}: the items at each pointer), kept durably in
 * {@code .state/usage/<name>.json}, and its monthly budget: once the month's reads reach it, no page
 * is asked for until the next month. A page is counted whole, so the last one may take the count up
 * to a page past the budget. The count and a spent budget are reported as the channel's status.
 */
final class ReadBudget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<String, String> kinds;
    private final long limit;
    private final Path file;
    private final ChannelStatus status;
    private final Clock clock;
    private YearMonth month;
    private final Map<String, Long> reads = new LinkedHashMap<>();

    /** {@code kinds}: {@code kind=/pointer} pairs; {@code limit}: reads a month, 0 for no budget. */
    ReadBudget(String name, String kinds, long limit, Path stateDir, Clock clock) throws IOException {
        this.name = name;
        this.kinds = FieldMapping.parse(kinds);
        if (this.kinds.isEmpty() && limit > 0) {
            throw new IllegalArgumentException("a read budget needs what to count: reads, e.g. posts=/data");
        }
        this.limit = limit;
        this.file = stateDir.resolve("usage").resolve(name + ".json");
        this.status = new ChannelStatus(stateDir);
        this.clock = clock;
        load();
    }

    boolean counts() {
        return !kinds.isEmpty();
    }

    /** True when this month's reads reached the budget: nothing more is read before the next month. */
    synchronized boolean spent() throws IOException {
        rollOver();
        return limit > 0 && total() >= limit;
    }

    /** Counts what this page returned, durably, and reports the month's total. */
    synchronized void count(JsonNode page) throws IOException {
        rollOver();
        kinds.forEach((kind, pointer) -> {
            JsonNode found = page.at(pointer);
            reads.merge(kind, (long) (found.isArray() ? found.size() : 0), Long::sum);
        });
        save();
    }

    synchronized long total() {
        return reads.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The first day of the month the reads start again, for the owner's words. */
    synchronized String resumes() {
        return month.plusMonths(1).atDay(1).toString();
    }

    private void rollOver() throws IOException {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        if (!now.equals(month)) {
            month = now;
            reads.clear();
            kinds.keySet().forEach(kind -> reads.put(kind, 0L));
            save();
        }
    }

    private void load() throws IOException {
        month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        kinds.keySet().forEach(kind -> reads.put(kind, 0L));
        if (!Files.isRegularFile(file)) {
            return;
        }
        Map<String, Object> saved;
        try {
            saved = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException torn) {
            // a count is never worth stopping the channel for: this month starts again from nothing
            return;
        }
        if (month.toString().equals(saved.get("month")) && saved.get("reads") instanceof Map<?, ?> counted) {
            counted.forEach((kind, n) -> {
                if (reads.containsKey(String.valueOf(kind)) && n instanceof Number number) {
                    reads.put(String.valueOf(kind), number.longValue());
                }
            });
        }
    }

    private void save() throws IOException {
        if (!counts()) {
            return;
        }
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("month", month.toString());
        saved.put("reads", reads);
        saved.put("limit", limit);
        DurableFiles.writeAtomically(file, JSON.writeValueAsString(saved).getBytes(StandardCharsets.UTF_8), file.getParent());
        StringBuilder usage = new StringBuilder().append(total());
        if (limit > 0) {
            usage.append(" of ").append(limit);
        }
        usage.append(" reads in ").append(month);
        if (kinds.size() > 1) {
            StringBuilder each = new StringBuilder();
            reads.forEach((kind, n) -> each.append(each.length() == 0 ? "" : ", ").append(kind).append(' ').append(n));
            usage.append(" (").append(each).append(')');
        }
        String problem = limit > 0 && total() >= limit
                ? "the budget of " + limit + " reads a month is used up: nothing more is read until " + resumes() + " (UTC)"
                : null;
        status.report(name, usage.toString(), problem);
    }
}
