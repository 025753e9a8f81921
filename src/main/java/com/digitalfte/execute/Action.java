package com.digitalfte.execute;

import com.digitalfte.vault.TaskFile;
import java.util.Map;

/**
 * One kind of action that leaves the machine, as one channel does it: a reply over SMTP, a Gmail
 * draft sent, a post, an invoice. It supplies only what is its own: the request built from the
 * approved task, the provider's answer, a lookup after a crash where the provider has one, and what
 * a failure means. {@link Executor} does the rest, the same for every action: the ledger's intent
 * before the call and done after it, {@code Done/} with the result, the audit line.
 *
 * <p>The call itself is a Camel endpoint in the channel's route (SMTP, HTTP) between
 * {@link Executor#begin} and {@link Executor#succeeded}, or, for a provider reached through its SDK,
 * {@link #call}, which {@link Executor#run} makes.
 */
public interface Action {

    /** The ledger's and the audit log's name for it: {@code email_reply}, {@code gmail_reply}, {@code x_post}. */
    String name();

    /**
     * What will be sent, built from the approved task alone: its {@code ## Draft} exactly as the owner
     * left it. A task this action cannot send (no recipient, no draft) is refused with a
     * {@link com.digitalfte.vault.TaskFormatException} saying why.
     */
    Request request(TaskFile task) throws Exception;

    /** The provider's answer to the call: its id for what it did, and what the owner reads in {@code Done/}. */
    Sent sent(Execution execution, Object response) throws Exception;

    /**
     * What a failed call means: certainly not done and worth a retry in a moment; refused (the
     * provider said no, for a reason the owner must fix); or maybe done.
     */
    Failure classify(Exception error);

    /**
     * An intent without done, after a crash or a failure that may have gone through: what the
     * provider says happened. Without a way to ask, the outcome is unknown and the owner decides.
     */
    default Reconciled reconcile(TaskFile task, Ledger.Entry intent) throws Exception {
        return Reconciled.unknown(name() + " has no way to look up what was done; check with the provider, then move this task back"
                + " to Approved/ to do it again, or to Done/ if it was done");
    }

    /** Whether {@link #reconcile} can tell; when it can, a call that may have gone through is simply tried again. */
    default boolean reconciles() {
        return false;
    }

    /** For a provider reached through its SDK: the call itself, returning the provider's answer. */
    default Object call(Execution execution) throws Exception {
        throw new UnsupportedOperationException(name() + " is called through its channel's route, not in Java");
    }

    /**
     * {@link Executor#begin} with this action: how a channel's route starts an execution when the
     * action is a bean of its own (a kamelet's local bean is reached by the bean step, not by name).
     */
    default Execution begin(Executor executor, String claimedPath) throws Exception {
        return executor.begin(claimedPath, this);
    }

    /** A file under {@code Logs/} that gets a line for each action done ({@code email_sent.jsonl}), or null. */
    default String logFile() {
        return null;
    }

    /** What is sent: the payload for the call, and its bytes, whose SHA-256 the result records. */
    record Request(Object payload, byte[] bytes) {
    }

    /** What the provider did: its id for it, and the result's fields. */
    record Sent(String providerId, Map<String, String> result) {
    }

    /** What a lookup after a crash found. */
    record Reconciled(Kind kind, Sent sent, String reason) {

        public enum Kind { DONE, CALL_AGAIN, UNKNOWN }

        /** The provider did it: filed in {@code Done/} without a second call. */
        public static Reconciled done(Sent sent) {
            return new Reconciled(Kind.DONE, sent, null);
        }

        /**
         * The call may be made again: the provider did not do it, or the call itself cannot do it twice
         * (it finishes what the intent recorded, a Gmail draft that is sent once).
         */
        public static Reconciled callAgain() {
            return new Reconciled(Kind.CALL_AGAIN, null, null);
        }

        /** Nobody can tell: the task goes to {@code Failed/} marked uncertain, with what is known. */
        public static Reconciled unknown(String reason) {
            return new Reconciled(Kind.UNKNOWN, null, reason);
        }
    }

    /** What a failed call means, in the owner's words. */
    record Failure(Kind kind, String message) {

        public enum Kind {
            /** Certainly not done, and may work in a moment (no connection, a 429, a 4xx SMTP reply): retried with backoff. */
            NOT_DONE_RETRY,
            /** Certainly not done, and will not be without the owner (a 4xx refusal, a bad recipient): {@code Failed/}. */
            REFUSED,
            /** Maybe done (a timeout or a broken connection after the request went out, a 5xx to it). */
            MAYBE_DONE
        }

        public static Failure retry(String message) {
            return new Failure(Kind.NOT_DONE_RETRY, message);
        }

        public static Failure refused(String message) {
            return new Failure(Kind.REFUSED, message);
        }

        public static Failure maybeDone(String message) {
            return new Failure(Kind.MAYBE_DONE, message);
        }
    }
}
