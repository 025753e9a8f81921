package com.digitalfte.vault;

/**
 * A provider may or may not have acted (a crash or a lost answer after the request went out) and
 * nothing can tell which. The task goes to {@code Failed/} marked {@code uncertain: true}, with what
 * is known, for the owner to check; it is never retried on its own.
 */
public class OutcomeUnknownException extends Exception {

    public OutcomeUnknownException(String message) {
        super(message);
    }
}
