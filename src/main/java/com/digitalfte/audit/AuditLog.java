package com.digitalfte.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit trail: {@code Logs/YYYY-MM-DD.json}, one JSON object a line, with who did what to which
 * task, under whose approval and with what result.
 */
public final class AuditLog {

    private final Path logs;
    private final String actor;
    private final Clock clock;
    /** What {@link #recent(int, String)} found so far in each day's file, by file and type. */
    private final Map<Query, JsonLines.Matches> matches = new ConcurrentHashMap<>();

    private record Query(Path file, String actionType) {
    }

    public AuditLog(Path logs, String actor) {
        this(logs, actor, Clock.systemUTC());
    }

    public AuditLog(Path logs, String actor, Clock clock) {
        this.logs = logs;
        this.actor = actor;
        this.clock = clock;
    }

    public void record(String actionType, String target, Map<String, ?> parameters,
                       String approvalStatus, String approvedBy, String result) {
        Instant now = clock.instant();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", now.toString());
        line.put("action_type", actionType);
        line.put("actor", actor);
        line.put("target", target);
        line.put("parameters", parameters == null ? Map.of() : parameters);
        line.put("approval_status", approvalStatus);
        line.put("approved_by", approvedBy);
        line.put("result", result);
        JsonLines.append(dayFile(LocalDate.ofInstant(now, ZoneOffset.UTC)), line);
    }

    public Path dayFile(LocalDate day) {
        return logs.resolve(day + ".json");
    }

    public Path emailSent() {
        return logs.resolve("email_sent.jsonl");
    }

    public Path vaultSync() {
        return logs.resolve("vault_sync.jsonl");
    }

    /**
     * The most recent entries of one action type, today's and yesterday's, newest last. Asked every
     * few seconds (the heartbeat, the Dashboard) of a file that grows all day: each file is read on
     * from where the last look stopped, and only the lines that name the type are parsed.
     */
    public List<Map<String, Object>> recent(int n, String actionType) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Path> days = List.of(dayFile(today.minusDays(1)), dayFile(today));
        // the days before yesterday are not asked for again
        matches.keySet().removeIf(query -> !days.contains(query.file()));
        List<Map<String, Object>> result = new ArrayList<>();
        for (Path file : days) {
            result.addAll(matches.computeIfAbsent(new Query(file, actionType), q -> new JsonLines.Matches(file, "action_type", actionType)).last(n));
        }
        return result.subList(Math.max(0, result.size() - n), result.size());
    }

    /** The most recent entries, today's and yesterday's, newest last. */
    public List<Map<String, Object>> recent(int n) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Map<String, Object>> result = new ArrayList<>(JsonLines.tail(dayFile(today.minusDays(1)), n));
        result.addAll(JsonLines.tail(dayFile(today), n));
        return result.subList(Math.max(0, result.size() - n), result.size());
    }
}
