package com.digitalfte.health;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Ledger;
import com.digitalfte.vault.TaskFile;

/**
 * An action on the executor contract whose outcomes {@link ChannelHealth} hears of: the executor
 * hands every provider answer to {@link #sent} and every failure to {@link #classify}, whether the
 * call is made in Java or by the channel's route, so wrapping the action is all a channel needs.
 * A refusal of this one task (a bad recipient) still means the provider answered.
 */
public final class ReportedAction implements Action {

    private final Action action;
    private final ChannelHealth health;
    private final String channel;

    public ReportedAction(Action action, ChannelHealth health, String channel) {
        this.action = action;
        this.health = health;
        this.channel = channel;
    }

    @Override
    public String name() {
        return action.name();
    }

    @Override
    public Request request(TaskFile task) throws Exception {
        return action.request(task);
    }

    @Override
    public Sent sent(Execution execution, Object response) throws Exception {
        health.succeeded(channel);
        return action.sent(execution, response);
    }

    @Override
    public Failure classify(Exception error) {
        Failure failure = action.classify(error);
        if (ChannelHealth.isRefusal(error)) {
            health.refused(channel, ChannelHealth.describe(error));
        } else if (failure.kind() == Failure.Kind.REFUSED) {
            health.succeeded(channel);
        } else {
            health.unreachable(channel, failure.message());
        }
        return failure;
    }

    @Override
    public Reconciled reconcile(TaskFile task, Ledger.Entry intent) throws Exception {
        return action.reconcile(task, intent);
    }

    @Override
    public boolean reconciles() {
        return action.reconciles();
    }

    @Override
    public Object call(Execution execution) throws Exception {
        health.calling(channel);
        return action.call(execution);
    }

    @Override
    public String logFile() {
        return action.logFile();
    }
}
