package com.digitalfte.dashboard;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code Dashboard.md}: queues, agents and recent activity. Only the local agent writes it, and only
 * when something on it changed, so an idle vault makes no commits.
 */
public final class DashboardWriter {

    private static final int RECENT = 20;
    private static final int FAILED_SHOWN = 20;
    /** Readable, and a time the commit filter (DashboardCommits) leaves out, so a new time alone makes no commit. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** For the agents' liveness, to the second: the owner's copy shows each heartbeat. */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Vault vault;
    private final AuditLog audit;
    private final String agentName;
    private final Duration staleAfter;
    private final Clock clock;
    private final List<DashboardSource> sources;
    private String lastBody = "";

    public DashboardWriter(Vault vault, AuditLog audit, String agentName, Duration staleAfter, Clock clock) {
        this(vault, audit, agentName, staleAfter, clock, List.of());
    }

    /** With the services the local agent works with (Odoo), each a row under Agents and a section of its own. */
    public DashboardWriter(Vault vault, AuditLog audit, String agentName, Duration staleAfter, Clock clock, List<DashboardSource> sources) {
        this.sources = List.copyOf(sources);
        this.vault = vault;
        this.audit = audit;
        this.agentName = agentName;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    /** Rewrites the Dashboard when its content changed; true when it did. */
    public synchronized boolean update() throws IOException {
        String body = body();
        Path file = vault.root().resolve("Dashboard.md");
        if (body.equals(lastBody) && Files.exists(file)) {
            return false;
        }
        String text = "# Dashboard\n\n_Written by the local agent " + agentName + " at " + time(clock.instant())
                + " (times are " + clock.getZone().getId() + "); it is rewritten, so edits here are lost._\n\n" + body;
        vault.writeAtomically(file, text);
        lastBody = body;
        return true;
    }

    /** What the Dashboard shows, without its title line: the queues, the agents, problems and recent activity. */
    public String body() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("## Queues\n\n| Queue | Tasks |\n|---|---:|\n");
        row(sb, "Needs Action", vault.count(vault.folder(Folder.NEEDS_ACTION)));
        Map<String, Integer> claims = new TreeMap<>();
        Path inProgress = vault.folder(Folder.IN_PROGRESS);
        if (Files.isDirectory(inProgress)) {
            try (DirectoryStream<Path> agents = Files.newDirectoryStream(inProgress, Files::isDirectory)) {
                for (Path a : agents) {
                    claims.put(a.getFileName().toString(), vault.count(a));
                }
            }
        }
        if (claims.isEmpty()) {
            row(sb, "In Progress", 0);
        }
        claims.forEach((agent, n) -> row(sb, "In Progress (" + agent + ")", n));
        row(sb, "Drafts arriving (Updates)", vault.count(vault.folder(Folder.UPDATES)));
        row(sb, "Pending Approval", vault.count(vault.folder(Folder.PENDING_APPROVAL)));
        row(sb, "Approved", vault.count(vault.folder(Folder.APPROVED)));
        row(sb, "Done", vault.count(vault.folder(Folder.DONE)));
        row(sb, "Failed", vault.count(vault.folder(Folder.FAILED)));
        row(sb, "Rejected", vault.count(vault.folder(Folder.REJECTED)));

        List<Map<String, Object>> heartbeats = heartbeats();
        sb.append("\n## Agents\n\n| Agent | Type | Last heartbeat | Last sync | Health |\n|---|---|---|---|---|\n");
        List<Map<String, Object>> activity = new ArrayList<>(audit.recent(RECENT));
        for (Map<String, Object> hb : heartbeats) {
            String lastSeen = String.valueOf(hb.get("last_seen"));
            sb.append("| ").append(text(hb.get("agent"))).append(" | ").append(text(hb.get("type"))).append(" | ")
                    .append(seconds(lastSeen)).append(" | ").append(lastSync(hb.get("last_sync"))).append(" | ").append(health(hb)).append(" |\n");
            if (!agentName.equals(hb.get("agent")) && hb.get("recent") instanceof List<?> recent) {
                for (Object o : recent) {
                    if (o instanceof Map<?, ?> m) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> entry = new TreeMap<>((Map<String, Object>) m);
                        entry.put("actor", hb.get("agent"));
                        activity.add(entry);
                    }
                }
            }
        }
        for (DashboardSource source : sources) {
            sb.append("| ").append(String.join(" | ", source.agentRow().stream().map(c -> text(c).replace("|", "\\|")).toList())).append(" |\n");
        }
        StringBuilder problems = new StringBuilder();
        StringBuilder redacted = new StringBuilder();
        for (Map<String, Object> hb : heartbeats) {
            if ("cloud".equals(hb.get("type")) && "stale".equals(status(String.valueOf(hb.get("last_seen"))))) {
                problems.append("- **").append(text(hb.get("agent"))).append("**: not heard from since ").append(time(String.valueOf(hb.get("last_seen"))))
                        .append(": is the cloud agent running (`status`, its journal)? Its claims return to the queue, and this machine"
                                + " drafts in its place after FAILOVER_AFTER\n");
            }
            if (hb.get("problems") instanceof Map<?, ?> p) {
                p.forEach((what, why) -> problems.append("- **").append(hb.get("agent")).append("**: ")
                        .append(what).append(": ").append(readableTimes(String.valueOf(why))).append('\n'));
            }
            if (hb.get("quarantine") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> q) {
                        quarantined(hb.get("agent"), q, Quarantine.HELD.equals(q.get("kind")) ? problems : redacted);
                    }
                }
            }
        }
        StringBuilder usage = new StringBuilder();
        for (Map<String, Object> hb : heartbeats) {
            if (hb.get("usage") instanceof Map<?, ?> u) {
                u.forEach((channel, used) -> usage.append("| ").append(text(channel)).append(" | ").append(hb.get("agent"))
                        .append(" | ").append(text(used)).append(" |\n"));
            }
        }
        if (usage.length() > 0) {
            sb.append("\n## Channel usage\n\n| Channel | Agent | Used |\n|---|---|---|\n").append(usage);
        }
        if (problems.length() > 0) {
            sb.append("\n## Problems\n\n").append(problems);
        }
        failed(sb);
        if (redacted.length() > 0) {
            sb.append("\n## Messages that quoted a credential (for your information)\n\n").append(redacted);
        }
        for (DashboardSource source : sources) {
            String section = source.section();
            if (!section.isBlank()) {
                sb.append('\n').append(section.strip()).append('\n');
            }
        }
        List<String> repairs = new ArrayList<>();
        for (Map<String, Object> hb : heartbeats) {
            if (hb.get("repairs") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> r) {
                        repairs.add("| " + time(String.valueOf(r.get("timestamp"))) + " | " + hb.get("agent") + " | " + link(r.get("target")) + " | "
                                + (r.get("parameters") instanceof Map<?, ?> p ? "kept " + p.get("kept") + ", removed " + p.get("removed") : "") + " |");
                    }
                }
            }
        }
        if (!repairs.isEmpty()) {
            repairs.sort(Comparator.reverseOrder());
            sb.append("\n## Repairs (a task found in two folders after a sync)\n\n| Time | Agent | Task | What was done |\n|---|---|---|---|\n");
            repairs.subList(0, Math.min(RECENT, repairs.size())).forEach(line -> sb.append(line).append('\n'));
        }
        activity.sort(Comparator.comparing(e -> String.valueOf(e.get("timestamp"))));
        List<Map<String, Object>> latest = activity.subList(Math.max(0, activity.size() - RECENT), activity.size());
        sb.append("\n## Recent activity\n\n| Time | Agent | Action | Task | Result |\n|---|---|---|---|---|\n");
        for (int i = latest.size() - 1; i >= 0; i--) {
            Map<String, Object> e = latest.get(i);
            sb.append("| ").append(time(String.valueOf(e.get("timestamp")))).append(" | ").append(text(e.getOrDefault("actor", agentName)))
                    .append(" | ").append(text(e.get("action_type"))).append(" | ").append(link(e.get("target")))
                    .append(" | ").append(text(e.get("result")).replace('_', ' ')).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * A file held back whole is a problem the owner must act on; the original of a message whose task
     * went on redacted is only for their information. Both are on the agent's own machine only.
     */
    private static void quarantined(Object agent, Map<?, ?> q, StringBuilder to) {
        to.append("- **").append(agent).append("**: ");
        if (Quarantine.HELD.equals(q.get("kind"))) {
            to.append("not synced: ").append(code(q.get("vaultPath"))).append(" holds a secret (").append(text(q.get("rule")))
                    .append(", line ").append(q.get("line")).append("); kept in ").append(code(q.get("file")))
                    .append(" on that machine; remove the secret and move it back to ").append(code(q.get("vaultPath")));
        } else {
            to.append(code(q.get("vaultPath"))).append(" quoted a credential (").append(text(q.get("rule")))
                    .append("); its task went on with it redacted, and the original is kept in ").append(code(q.get("file")))
                    .append(" on that machine only");
        }
        to.append('\n');
    }

    /** Each task in Failed/ with the first line of its reason: what the owner may retry with `approve`. */
    private void failed(StringBuilder sb) throws IOException {
        Path dir = vault.folder(Folder.FAILED);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir, "*.md")) {
            tasks.forEach(files::add);
        }
        if (files.isEmpty()) {
            return;
        }
        files.sort(Comparator.comparing(Path::toString));
        sb.append("\n## Failed (move back to Approved/, or `approve <id>`, to retry)\n\n");
        for (Path f : files.subList(0, Math.min(FAILED_SHOWN, files.size()))) {
            String id = f.getFileName().toString().replaceFirst("\\.md$", "");
            String reason;
            String type = "";
            boolean uncertain = false;
            try {
                TaskFile task = TaskFile.parse(Vault.readText(f));
                type = " (" + task.type().replace('_', ' ') + ")";
                uncertain = task.get("uncertain").map(Boolean::parseBoolean).orElse(false);
                reason = task.section(TaskFile.ERROR).orElse("no reason given");
            } catch (TaskFormatException | IOException e) {
                String whole = Files.readString(f);
                int at = whole.lastIndexOf("## Error");
                reason = at < 0 ? "the file cannot be read as a task" : whole.substring(at + "## Error".length());
            }
            sb.append("- [[Failed/").append(id).append('|').append(id).append("]]").append(type).append(": ")
                    .append(uncertain ? "**uncertain, check before retrying**: " : "").append(firstLine(reason)).append('\n');
        }
        if (files.size() > FAILED_SHOWN) {
            sb.append("- and ").append(files.size() - FAILED_SHOWN).append(" more in Failed/\n");
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("no reason given");
    }

    /**
     * An Obsidian link to the task's file where it is now ({@code [[Done/EMAIL_x\|EMAIL_x]]}, the pipe
     * escaped inside a table), or the name alone when no file has it.
     */
    private String link(Object target) {
        String id = text(target);
        if (!TaskIds.isValid(id)) {
            return id;
        }
        List<Path> found = vault.locate(id);
        if (found.isEmpty()) {
            return id;
        }
        String path = vault.root().relativize(found.get(found.size() - 1)).toString().replace('\\', '/').replaceFirst("\\.md$", "");
        return "[[" + path + "\\|" + id + "]]";
    }

    /** "2026-11-25 12:00" in the Dashboard's zone; the text as it is when it is no time. */
    private String time(String instant) {
        try {
            return time(Instant.parse(instant));
        } catch (RuntimeException e) {
            return text(instant);
        }
    }

    private static final Pattern ISO_INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z");

    /** A message's instants ("since 2026-11-25T08:10:00Z") as the Dashboard's other times. */
    private String readableTimes(String message) {
        return ISO_INSTANT.matcher(message).replaceAll(m -> time(m.group()));
    }

    private String seconds(String instant) {
        try {
            return SECONDS.format(Instant.parse(instant).atZone(clock.getZone()));
        } catch (RuntimeException e) {
            return text(instant);
        }
    }

    private String time(Instant instant) {
        return TIME.format(instant.atZone(clock.getZone()));
    }

    /** When the agent's last sync ran and whether it went through: what the heartbeat says, in VaultSync's words. */
    private String lastSync(Object lastSync) {
        if (!(lastSync instanceof Map<?, ?> m) || m.get("timestamp") == null) {
            return "none yet";
        }
        String result = String.valueOf(m.get("result"));
        String outcome = "refused".equals(result) ? "refused" : "unreachable".equals(result) ? "remote out of reach"
                : "error".equals(result) ? "failed" : "ok";
        return seconds(String.valueOf(m.get("timestamp"))) + ", " + outcome;
    }

    private String health(Map<String, Object> hb) {
        if ("stale".equals(status(String.valueOf(hb.get("last_seen"))))) {
            return "**stale**";
        }
        if ("unknown".equals(status(String.valueOf(hb.get("last_seen"))))) {
            return "unknown";
        }
        int problems = hb.get("problems") instanceof Map<?, ?> p ? p.size() : 0;
        return problems == 0 ? "ok" : "**" + problems + (problems == 1 ? " problem**" : " problems**");
    }

    /** One line of text, as a heartbeat (a file another agent wrote) may hold anything; a pipe would end a table cell. */
    private static String text(Object value) {
        return String.valueOf(value).replaceAll("\\s+", " ").strip().replace("|", "\\|");
    }

    private static String code(Object value) {
        return "`" + text(value).replace('`', '\'') + "`";
    }

    private String status(String lastSeen) {
        try {
            Duration age = Duration.between(Instant.parse(lastSeen), clock.instant());
            return age.compareTo(staleAfter) > 0 ? "stale" : "ok";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> heartbeats() {
        List<Map<String, Object>> result = new ArrayList<>();
        Path dir = vault.heartbeats();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                try {
                    result.add(JsonLines.JSON.readValue(f.toFile(), Map.class));
                } catch (IOException unreadable) {
                    // a heartbeat being replaced right now: the next update reads it
                }
            }
        } catch (IOException e) {
            return result;
        }
        result.sort(Comparator.comparing(m -> String.valueOf(m.get("agent"))));
        return result;
    }

    private static void row(StringBuilder sb, String name, int n) {
        sb.append("| ").append(name).append(" | ").append(n).append(" |\n");
    }
}
