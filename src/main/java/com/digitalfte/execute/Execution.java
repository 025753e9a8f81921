package com.digitalfte.execute;

import com.digitalfte.vault.TaskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One execution of an approved task: the task as read once when it began, the action, what is sent,
 * and what the provider gave back on the way (a draft's id) when a retry must finish it rather
 * than start over.
 */
public final class Execution {

    private final Path claimed;
    private final TaskFile task;
    private final Action action;
    private final Action.Request request;
    private final Ledger ledger;
    private String checkpoint;

    Execution(Path claimed, TaskFile task, Action action, Action.Request request, String checkpoint, Ledger ledger) {
        this.claimed = claimed;
        this.task = task;
        this.action = action;
        this.request = request;
        this.checkpoint = checkpoint;
        this.ledger = ledger;
    }

    public TaskFile task() {
        return task;
    }

    Path claimed() {
        return claimed;
    }

    public Action action() {
        return action;
    }

    /** What the call sends (a message, a JSON body). */
    public Object payload() {
        return request == null ? null : request.payload();
    }

    Action.Request request() {
        return request;
    }

    /** What the provider gave back before the final call, by an earlier try of this execution. */
    public Optional<String> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /** Records what the provider gave back before the final call (forced to disk), so a retry finishes it. */
    public void checkpoint(String providerId) throws IOException {
        ledger.intent(task.id(), action.name(), providerId);
        checkpoint = providerId;
    }
}
