package com.digitalfte.vault;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.secrets.SecretGuard;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where every watcher puts what it receives: a new task in {@code Needs_Action/}, once per id. */
public final class TaskQueue {

    private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9]{0,15}");
    private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Set<String> RESERVED = Set.of("id", "type", "channel", "created", "drafted_by", "drafted");
    private static final String FIELD_HEADER = "task.";
    private static final int MAX_FIELD = 2000;

    private final Vault vault;
    private final SeenIds seen;
    private final AuditLog audit;
    private final SecretGuard guard;
    private final Quarantine quarantine;

    /** {@code guard}: the one made from this agent's configured secrets, as the sync's. */
    public TaskQueue(Vault vault, SeenIds seen, AuditLog audit, SecretGuard guard) {
        this.vault = vault;
        this.seen = seen;
        this.audit = audit;
        this.guard = guard;
        this.quarantine = new Quarantine(vault.root());
    }

    /**
     * The sink of every inbound channel: a message becomes a task of {@code type} from {@code channel}.
     * {@code task.key} is the source's own id for the message; other {@code task.<field>} headers
     * become front-matter fields; the body becomes {@code ## Original}. Returns the new task's id,
     * or {@code null} when the message already has a task.
     *
     * <p>A credential the message quotes is redacted in each field and in the text (so the task can
     * travel and be answered), and the message as it came is kept only in {@code .state/quarantine/}.
     */
    public String enqueueMessage(String type, String channel, String idPrefix, Map<String, Object> headers, String body)
            throws IOException {
        require(TYPE, type, "type");
        require(CHANNEL, channel, "channel");
        require(PREFIX, idPrefix, "idPrefix");
        Map<String, String> fields = new TreeMap<>();
        String key = null;
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            if (!h.getKey().startsWith(FIELD_HEADER) || h.getValue() == null) {
                continue;
            }
            String field = h.getKey().substring(FIELD_HEADER.length());
            String value = oneLine(String.valueOf(h.getValue()));
            if (value.isEmpty()) {
                continue;
            }
            if (field.equals("key")) {
                key = value;
            } else if (FIELD.matcher(field).matches() && !RESERVED.contains(field)) {
                fields.put(field, value);
            }
        }
        // a message without From (a script, curl) is answered to its envelope sender
        String returnPath = fields.remove("return_path");
        if (!fields.containsKey("from") && returnPath != null && !returnPath.replaceAll("[<>\\s]", "").isEmpty()) {
            fields.put("from", returnPath.replaceAll("[<>\\s]", ""));
        }
        String text = body == null ? "" : body.strip();
        String idKey = key != null ? key : "no-key:" + fields + "|" + TaskIds.sha256(text);
        // a plain key that is a credential would name the file after it; hashed, it names nothing
        String id = TaskIds.fromKey(idPrefix, guard.scan(idKey) == null ? idKey : "secret:" + idKey);

        Set<String> rules = new LinkedHashSet<>();
        Map<String, String> redactedFields = new TreeMap<>();
        fields.forEach((field, value) -> redactedFields.put(field, clip(redact(value, rules))));
        TaskFile task = task(id, type, channel, redactedFields, redact(text, rules));
        if (rules.isEmpty()) {
            return enqueue(task).orElse(null);
        }
        return enqueue(task, new Redacted(task(id, type, channel, fields, text), List.copyOf(rules))).orElse(null);
    }

    /** A message whose task goes on redacted: the task as it came, and the rules that hit. */
    private record Redacted(TaskFile original, List<String> rules) {
    }

    private static TaskFile task(String id, String type, String channel, Map<String, String> fields, String text) {
        Map<String, String> rest = new TreeMap<>(fields);
        TaskFile task = TaskFile.create(id, type).with("channel", channel);
        for (String f : new String[] {"from", "reply_to", "subject", "message_id", "references"}) {
            if (rest.containsKey(f)) {
                task.with(f, rest.remove(f));
            }
        }
        rest.forEach(task::with);
        return task.withSection(TaskFile.ORIGINAL, text);
    }

    private String redact(String value, Set<String> rules) {
        SecretGuard.Redaction redaction = guard.redact(value);
        rules.addAll(redaction.rules());
        return redaction.text();
    }

    private static String clip(String value) {
        return value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) : value;
    }

    private static void require(Pattern pattern, String value, String name) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("vault-task-sink: " + name + " '" + value + "' is not allowed (" + pattern.pattern() + ")");
        }
    }

    /** Header values stay on one line in the front matter. */
    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    /** Writes the task unless its id is already known here or anywhere in the vault; returns the id written. */
    public Optional<String> enqueue(TaskFile task) throws IOException {
        return enqueue(task, null);
    }

    private synchronized Optional<String> enqueue(TaskFile task, Redacted redacted) throws IOException {
        String id = task.id();
        if (seen.contains(id) || vault.contains(id)) {
            LOG.debug("Task {} already exists; not created again", id);
            seen.add(id);
            return Optional.empty();
        }
        if (task.get("created").isEmpty()) {
            task.with("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (redacted != null) {
            keepOriginal(task, redacted);
        }
        vault.write(vault.folder(Folder.NEEDS_ACTION), task);
        seen.add(id);
        audit.record("task_created", id, Map.of("type", task.type(), "channel", task.getOrEmpty("channel")),
                "not_required", null, "created");
        LOG.info("New task {} ({}) in Needs_Action", id, task.type());
        return Optional.of(id);
    }

    /** The original goes to quarantine before the task exists, so no crash leaves a redacted task without it. */
    private void keepOriginal(TaskFile task, Redacted redacted) throws IOException {
        String rules = String.join(", ", redacted.rules());
        task.with("redacted", rules);
        String vaultPath = Folder.NEEDS_ACTION.dirName() + "/" + task.id() + ".md";
        TaskFile original = redacted.original().with("created", task.getOrEmpty("created"));
        String kept = vault.root().relativize(quarantine.keepOriginal(vaultPath, original.render(), rules)).toString().replace('\\', '/');
        audit.record("secret_redacted", task.id(), Map.of("rules", redacted.rules(), "original", kept), "not_required", null, "redacted");
        LOG.warn("Task {} quotes a credential ({}): it goes on with it redacted; the message as it came is only on this machine, in {}",
                task.id(), rules, kept);
    }
}
