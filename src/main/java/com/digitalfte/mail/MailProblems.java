package com.digitalfte.mail;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is wrong with each mail connection right now, for the heartbeat's problems (the Dashboard
 * shows them) and for the log: a reason is logged once when it appears or changes, and once more
 * when the connection works again, never at every poll.
 */
public final class MailProblems {

    private static final Logger LOG = LoggerFactory.getLogger(MailProblems.class);

    private final Map<String, String> current = new TreeMap<>();

    /** The connection failed for this reason; logged only when it is new for the connection. */
    public void failing(String key, String reason) {
        String before;
        synchronized (current) {
            before = current.put(key, reason);
        }
        if (!reason.equals(before)) {
            LOG.error("{}: {}", key, reason);
        }
    }

    /** The connection worked. */
    public void working(String key) {
        String before;
        synchronized (current) {
            before = current.remove(key);
        }
        if (before != null) {
            LOG.info("{} works again", key);
        }
    }

    public Optional<String> reason(String key) {
        synchronized (current) {
            return Optional.ofNullable(current.get(key));
        }
    }

    /** Every failing connection and why. */
    public Map<String, String> current() {
        synchronized (current) {
            return new TreeMap<>(current);
        }
    }
}
