package com.digitalfte.vault;

import com.digitalfte.audit.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code .state/quarantine/}: what never leaves this machine because it holds a credential. A file
 * the owner or an agent wrote is held back here whole; an inbound message that quoted one keeps its
 * original here while its task goes on with the credential redacted. Each entry has a line in
 * {@code index.jsonl} (what, why, when), so the Dashboard shows it after a restart too; deleting a
 * quarantined file clears its warning.
 */
public final class Quarantine {

    /** Kinds of entry: a whole file held back, or the original of a task that goes on redacted. */
    public static final String HELD = "held";
    public static final String REDACTED = "redacted";

    /** One quarantined file: when, which kind, the vault path it came from, the rule, the line, where it is now. */
    public record Entry(String timestamp, String kind, String vaultPath, String rule, int line, String file) {
    }

    private final Path root;
    private final Path dir;
    private final Path index;
    private final Clock clock;

    public Quarantine(Path vaultRoot) {
        this(vaultRoot, Clock.systemUTC());
    }

    Quarantine(Path vaultRoot, Clock clock) {
        this.root = vaultRoot.toAbsolutePath().normalize();
        this.dir = root.resolve(".state/quarantine");
        this.index = dir.resolve("index.jsonl");
        this.clock = clock;
    }

    /** Moves a file that must not be synced into quarantine; returns where it is now. */
    public synchronized Path holdBack(Path file, String vaultPath, String rule, int line) throws IOException {
        Files.createDirectories(dir);
        Instant now = clock.instant();
        Path target = dir.resolve(name(now, vaultPath));
        DurableFiles.moveIntoPlace(file, target);
        record(now, HELD, vaultPath, rule, line, target);
        return target;
    }

    /** Keeps the original text of an inbound message whose task goes on redacted; returns where it is. */
    public synchronized Path keepOriginal(String vaultPath, String text, String rules) throws IOException {
        Files.createDirectories(dir);
        Instant now = clock.instant();
        Path target = dir.resolve(name(now, vaultPath));
        new Vault(root).writeAtomically(target, text);
        record(now, REDACTED, vaultPath, rules, 0, target);
        return target;
    }

    /** The entries whose file is still here, oldest first. */
    public List<Entry> entries() {
        List<Entry> result = new ArrayList<>();
        for (Map<String, Object> m : JsonLines.tail(index, Integer.MAX_VALUE)) {
            String file = String.valueOf(m.get("file"));
            if (Files.isRegularFile(root.resolve(file))) {
                result.add(new Entry(String.valueOf(m.get("timestamp")), String.valueOf(m.get("kind")), String.valueOf(m.get("path")),
                        String.valueOf(m.get("rule")), m.get("line") instanceof Number n ? n.intValue() : 0, file));
            }
        }
        return result;
    }

    private void record(Instant now, String kind, String vaultPath, String rule, int line, Path target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("kind", kind);
        m.put("path", vaultPath);
        m.put("rule", rule);
        m.put("line", line);
        m.put("file", root.relativize(target).toString().replace('\\', '/'));
        JsonLines.append(index, m);
    }

    private static String name(Instant now, String vaultPath) {
        return now.toString().replace(':', '-') + "_" + vaultPath.replace('/', '_');
    }
}
