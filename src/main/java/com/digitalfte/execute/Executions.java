package com.digitalfte.execute;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every executor does around its provider call: read the claimed task, record the outcome in
 * the ledger, file the task in {@code Done/} with its result or in {@code Failed/} with the error,
 * and write the audit line.
 */
public final class Executions {

    private static final Logger LOG = LoggerFactory.getLogger(Executions.class);

    private final Vault vault;
    private final Ledger ledger;
    private final AuditLog audit;

    public Executions(Vault vault, Ledger ledger, AuditLog audit) {
        this.vault = vault;
        this.ledger = ledger;
        this.audit = audit;
    }

    public Ledger ledger() {
        return ledger;
    }

    public AuditLog audit() {
        return audit;
    }

    public TaskFile load(String claimedPath) throws TaskFormatException, IOException {
        return vault.read(Path.of(claimedPath));
    }

    /** Records the provider's answer and files the task, with its result, in {@code Done/}. */
    public void complete(String claimedPath, String action, String providerId, Map<String, String> result)
            throws IOException, TaskFormatException {
        Path claimed = Path.of(claimedPath);
        TaskFile task = vault.read(claimed);
        if (!ledger.isDone(task.id())) {
            ledger.done(task.id(), action, task.type(), providerId);
        }
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("executed", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        lines.putAll(result);
        StringBuilder text = new StringBuilder();
        lines.forEach((k, v) -> text.append("- ").append(k).append(": ").append(v).append('\n'));
        task.with("uncertain", null).withSection(TaskFile.RESULT, text.toString().strip());
        vault.rewriteAndMove(claimed, task, vault.folder(Folder.DONE));
        audit.record(action, task.id(), result, "approved", "owner", "success");
        LOG.info("Executed {} for task {}; filed in Done", action, task.id());
    }

    /**
     * Files a sent email reply: the result (when, Message-ID, to whom, the SHA-256 of the draft sent,
     * and what the provider added) in {@code Done/}, and a line in {@code Logs/email_sent.jsonl}.
     */
    public void completeReply(String claimedPath, String action, String messageId, String providerId,
                              Map<String, String> extra) throws IOException, TaskFormatException {
        TaskFile task = load(claimedPath);
        Map<String, String> result = new LinkedHashMap<>();
        result.put("sent", Instant.now().toString());
        result.putAll(extra);
        result.put("message_id", messageId);
        result.put("to", task.get("reply_to").orElse(task.getOrEmpty("from")));
        result.put("draft_sha256", TaskIds.sha256(task.section(TaskFile.DRAFT).orElse("")));
        complete(claimedPath, action, providerId, result);
        Map<String, Object> line = new LinkedHashMap<>(result);
        line.put("task_id", task.id());
        line.put("in_reply_to", task.getOrEmpty("message_id"));
        line.put("thread_id", task.getOrEmpty("thread_id"));
        line.put("subject", task.getOrEmpty("subject"));
        JsonLines.append(audit.emailSent(), line);
    }
}
