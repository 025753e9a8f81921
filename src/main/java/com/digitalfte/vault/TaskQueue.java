package com.digitalfte.vault;

import com.digitalfte.audit.AuditLog;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where every watcher puts what it receives: a new task in {@code Needs_Action/}, once per id. */
public final class TaskQueue {

    private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);

    private final Vault vault;
    private final SeenIds seen;
    private final AuditLog audit;

    public TaskQueue(Vault vault, SeenIds seen, AuditLog audit) {
        this.vault = vault;
        this.seen = seen;
        this.audit = audit;
    }

    /** Writes the task unless its id is already known here or anywhere in the vault; returns the id written. */
    public synchronized Optional<String> enqueue(TaskFile task) throws IOException {
        String id = task.id();
        if (seen.contains(id) || vault.contains(id)) {
            LOG.debug("Task {} already exists; not created again", id);
            seen.add(id);
            return Optional.empty();
        }
        if (task.get("created").isEmpty()) {
            task.with("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        vault.write(vault.folder(Folder.NEEDS_ACTION), task);
        seen.add(id);
        audit.record("task_created", id, Map.of("type", task.type(), "channel", task.getOrEmpty("channel")),
                "not_required", null, "created");
        LOG.info("New task {} ({}) in Needs_Action", id, task.type());
        return Optional.of(id);
    }
}
