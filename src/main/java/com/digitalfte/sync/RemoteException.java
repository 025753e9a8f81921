package com.digitalfte.sync;

/**
 * The remote could not be used. {@link Unreachable}: no route, no answer, a timeout; local work goes
 * on and the next sync carries the backlog. {@link Refused}: the remote answered and said no
 * (credentials, host key, permission, no such repository); that is the owner's to fix, and no claim
 * is taken without it. The message says what happened and what to do, with no credential in it.
 */
public abstract sealed class RemoteException extends Exception {

    RemoteException(String message, Throwable cause) {
        super(message, cause);
    }

    public static final class Unreachable extends RemoteException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Refused extends RemoteException {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
