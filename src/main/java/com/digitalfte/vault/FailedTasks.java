package com.digitalfte.vault;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.secrets.Masking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task goes when it cannot go on: {@code Failed/} with an {@code ## Error} section, an audit
 * line and a log line saying why. When even the move fails the file stays where it is and the log says so.
 */
public final class FailedTasks {

    private static final Logger LOG = LoggerFactory.getLogger(FailedTasks.class);

    private final Vault vault;
    private final AuditLog audit;

    public FailedTasks(Vault vault, AuditLog audit) {
        this.vault = vault;
        this.audit = audit;
    }

    /** Files the task with the reason the failure itself gives, not the wrappers around it. */
    public void fail(String path, Throwable error) {
        failWithReason(path, reasonOf(error), causes(error).anyMatch(OutcomeUnknownException.class::isInstance));
    }

    private static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }

    /**
     * The owner's reason: the first of the agent's own exceptions in the chain says it (an executor's
     * refusal in the provider's or the agent's words, not the library's exception it wraps);
     * otherwise the root cause's message.
     */
    static String reasonOf(Throwable error) {
        Optional<Throwable> own = causes(error).filter(t -> t.getClass().getName().startsWith("com.digitalfte.")
                && t.getMessage() != null && !t.getMessage().isBlank()).findFirst();
        if (own.isPresent()) {
            return own.get() instanceof ProviderUnavailableException
                    ? own.get().getMessage() + "; tried again with backoff and gave up. Move the task back to Approved/ to try once more"
                    : own.get().getMessage();
        }
        Throwable t = causes(error).reduce((outer, inner) -> inner).orElse(error);
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    public void failWithReason(String path, String reason) {
        failWithReason(path, reason, false);
    }

    /**
     * An {@code uncertain} failure is one where the provider may have acted: the task is marked
     * {@code uncertain: true} so nobody moves it back to {@code Approved/} without checking first.
     */
    public void failWithReason(String path, String reason, boolean uncertain) {
        // an error's message may quote a URL with its password or a provider's key: the task file travels
        String why = reason == null || reason.isBlank() ? "unknown error" : Masking.mask(reason);
        if (path == null || path.isBlank()) {
            LOG.error("A task could not be claimed: {}; it stays where it is and is tried again", why);
            return;
        }
        Path file = Path.of(path);
        String id = file.getFileName().toString().replaceFirst("\\.md$", "");
        try {
            if (!Files.exists(file)) {
                LOG.error("Task {} failed ({}), and its file is no longer at {}", id, why, file);
                return;
            }
            Path failed = vault.fail(file, why, uncertain);
            audit.record(uncertain ? "task_uncertain" : "task_failed", id, Map.of("reason", why), "n/a", null,
                    uncertain ? "uncertain" : "failed");
            LOG.error("Task {} {} and is in {}: {}", id, uncertain ? "has an unknown outcome" : "failed",
                    vault.root().relativize(failed), why);
        } catch (IOException e) {
            LOG.error("Task {} failed ({}) and could not be moved to Failed ({}); it stays at {}", id, why, e.getMessage(), file);
        }
    }
}
