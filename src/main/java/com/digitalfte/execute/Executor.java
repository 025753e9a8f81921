package com.digitalfte.execute;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.OutcomeUnknownException;
import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one skeleton of every action that leaves the machine, exactly once. {@link #begin}: the
 * claimed task is read (once; it is handed along from here); what the ledger says done is only
 * filed; an intent without done is looked up with the provider (the action's reconcile), or the
 * task is uncertain; otherwise the intent is forced to disk and the request handed to the call.
 * {@link #succeeded}: done in the ledger with the provider's id, {@code Done/} with the result and
 * the SHA-256 of what was sent, the audit line. {@link #failed}: what the action says the failure
 * means, certainly not done (retried with backoff by the route), refused ({@code Failed/} with the
 * provider's words), or maybe done (tried again where the provider can be asked, else uncertain).
 */
public final class Executor {

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    private final Vault vault;
    private final Ledger ledger;
    private final AuditLog audit;
    private final Clock clock;

    public Executor(Vault vault, Ledger ledger, AuditLog audit, Clock clock) {
        this.vault = vault;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    public Ledger ledger() {
        return ledger;
    }

    /**
     * The execution to call the provider with, its intent on disk; null when there is nothing to call
     * (done before a restart, or found done by the lookup), the task then already filed in {@code Done/}.
     *
     * @throws OutcomeUnknownException when a call was begun before and nobody can tell whether it was done
     */
    public Execution begin(String claimedPath, Action action) throws Exception {
        Path claimed = Path.of(claimedPath);
        TaskFile task = vault.read(claimed);
        Ledger.Entry before = ledger.find(task.id()).orElse(null);
        if (before != null && before.done()) {
            complete(new Execution(claimed, task, action, null, null, ledger),
                    new Action.Sent(before.providerId(), Map.of()), "done before a restart");
            return null;
        }
        String checkpoint = null;
        if (before != null && before.interrupted()) {
            if (task.get("uncertain").map(Boolean::parseBoolean).orElse(false)) {
                LOG.info("Task {}: the owner moved it back to Approved after checking; doing it without a lookup", task.id());
            } else {
                Action.Reconciled found = action.reconcile(task, before);
                switch (found.kind()) {
                    case DONE -> {
                        complete(new Execution(claimed, task, action, null, null, ledger), found.sent(), "found done after a restart");
                        return null;
                    }
                    case UNKNOWN -> throw new OutcomeUnknownException(found.reason());
                    case CALL_AGAIN -> checkpoint = before.providerId();
                }
            }
        }
        Execution execution = new Execution(claimed, task, action, action.request(task), checkpoint, ledger);
        if (checkpoint == null) {
            ledger.intent(task.id(), action.name());
        }
        return execution;
    }

    /** The provider answered: the ledger's done, {@code Done/}, the audit line. */
    public void succeeded(Execution execution, Object response) throws Exception {
        complete(execution, execution.action().sent(execution, response), null);
    }

    /** The call failed: always throws, telling the route what to do with the task. */
    public void failed(Execution execution, Exception error) throws Exception {
        if (error instanceof OutcomeUnknownException unknown) {
            throw unknown;
        }
        TaskFile task = execution.task();
        Action action = execution.action();
        Action.Failure failure = action.classify(error);
        switch (failure.kind()) {
            case NOT_DONE_RETRY -> {
                ledger.notSent(task.id(), action.name());
                throw new ProviderUnavailableException(failure.message(), error);
            }
            case REFUSED -> {
                ledger.notSent(task.id(), action.name());
                // the action's words are the reason filed (with its hint), not the provider's answer under them
                throw new RefusedException(failure.message(), null);
            }
            default -> {
                if (action.reconciles()) {
                    // the intent stays: the next try asks the provider before it calls again
                    throw new ProviderUnavailableException(failure.message() + " (looked up with the provider before any second try)", error);
                }
                throw new OutcomeUnknownException(failure.message() + ". It may have been done: check with the provider, then move this task"
                        + " back to Approved/ to do it again, or to Done/ if it was done.");
            }
        }
    }

    /** Begin, call (in Java, for a provider reached through its SDK), then succeeded or failed. */
    public void run(String claimedPath, Action action) throws Exception {
        Execution execution = begin(claimedPath, action);
        if (execution == null) {
            return;
        }
        Object response;
        try {
            response = action.call(execution);
        } catch (Exception e) {
            failed(execution, e);
            return;
        }
        succeeded(execution, response);
    }

    private void complete(Execution execution, Action.Sent sent, String note) throws IOException {
        TaskFile task = execution.task();
        Action action = execution.action();
        if (!ledger.isDone(task.id())) {
            ledger.done(task.id(), action.name(), task.type(), sent.providerId());
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put("executed", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        if (note != null) {
            result.put("note", note);
        }
        result.putAll(sent.result());
        if (execution.request() != null) {
            result.put("draft_sha256", HexFormat.of().formatHex(TaskIds.sha256(execution.request().bytes())));
        }
        StringBuilder text = new StringBuilder();
        result.forEach((k, v) -> text.append("- ").append(k).append(": ").append(v).append('\n'));
        task.with("uncertain", null).withSection(TaskFile.RESULT, text.toString().strip());
        vault.rewriteAndMove(execution.claimed(), task, vault.folder(Folder.DONE));
        String approvedBy = task.get("approved_by").orElse("owner");
        audit.record(action.name(), task.id(), result, "approved", approvedBy, "success");
        if (action.logFile() != null) {
            Map<String, Object> line = new LinkedHashMap<>(result);
            line.put("task_id", task.id());
            line.put("type", task.type());
            line.put("channel", task.getOrEmpty("channel"));
            line.put("subject", task.getOrEmpty("subject"));
            line.put("provider_id", sent.providerId());
            JsonLines.append(vault.logs().resolve(action.logFile()), line);
        }
        LOG.info("Executed {} for task {}{}; filed in Done", action.name(), task.id(), note == null ? "" : " (" + note + ")");
    }

    /** The provider said no, for a reason the owner must fix: never retried on its own. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
