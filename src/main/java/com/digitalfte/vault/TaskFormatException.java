package com.digitalfte.vault;

/** A task file that cannot be understood; the message says why, in words the owner can act on. */
public class TaskFormatException extends Exception {

    public TaskFormatException(String message) {
        super(message);
    }
}
