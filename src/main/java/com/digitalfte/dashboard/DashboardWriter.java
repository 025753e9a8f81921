package com.digitalfte.dashboard;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code Dashboard.md}: queues, agents and recent activity. Only the local agent writes it, and only
 * when something on it changed, so an idle vault makes no commits.
 */
public final class DashboardWriter {

    private static final int RECENT = 10;

    private final Vault vault;
    private final AuditLog audit;
    private final String agentName;
    private final Duration staleAfter;
    private final Clock clock;
    private String lastBody = "";

    public DashboardWriter(Vault vault, AuditLog audit, String agentName, Duration staleAfter, Clock clock) {
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
        String text = "# Dashboard\n\n_Written by the local agent " + agentName + " at "
                + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "; it is rewritten, so edits here are lost._\n\n" + body;
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
        sb.append("\n## Agents\n\n| Agent | Type | Last seen | Status |\n|---|---|---|---|\n");
        List<Map<String, Object>> activity = new ArrayList<>(audit.recent(RECENT));
        for (Map<String, Object> hb : heartbeats) {
            String lastSeen = String.valueOf(hb.get("last_seen"));
            sb.append("| ").append(hb.get("agent")).append(" | ").append(hb.get("type")).append(" | ")
                    .append(lastSeen).append(" | ").append(status(lastSeen)).append(" |\n");
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
        StringBuilder problems = new StringBuilder();
        StringBuilder redacted = new StringBuilder();
        for (Map<String, Object> hb : heartbeats) {
            if (hb.get("problems") instanceof Map<?, ?> p) {
                p.forEach((what, why) -> problems.append("- **").append(hb.get("agent")).append("**: ")
                        .append(what).append(": ").append(why).append('\n'));
            }
            if (hb.get("quarantine") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> q) {
                        quarantined(hb.get("agent"), q, Quarantine.HELD.equals(q.get("kind")) ? problems : redacted);
                    }
                }
            }
        }
        if (problems.length() > 0) {
            sb.append("\n## Problems\n\n").append(problems);
        }
        if (redacted.length() > 0) {
            sb.append("\n## Messages that quoted a credential (for your information)\n\n").append(redacted);
        }
        List<String> repairs = new ArrayList<>();
        for (Map<String, Object> hb : heartbeats) {
            if (hb.get("repairs") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> r) {
                        repairs.add("| " + r.get("timestamp") + " | " + hb.get("agent") + " | " + r.get("target") + " | "
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
            sb.append("| ").append(e.get("timestamp")).append(" | ").append(e.getOrDefault("actor", agentName))
                    .append(" | ").append(e.get("action_type")).append(" | ").append(e.get("target"))
                    .append(" | ").append(e.get("result")).append(" |\n");
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

    /** One line of text, as a heartbeat (a file another agent wrote) may hold anything. */
    private static String text(Object value) {
        return String.valueOf(value).replaceAll("\\s+", " ").strip();
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
