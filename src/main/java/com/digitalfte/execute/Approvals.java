package com.digitalfte.execute;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local side of the approval loop: drafts become approval requests, approved files are claimed
 * for execution and sent to the executor of their type, rejected ones are recorded and left alone.
 */
public final class Approvals {

    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);

    private final Vault vault;
    private final ClaimService claims;
    private final AuditLog audit;
    private final SeenIds rejections;

    public Approvals(Vault vault, ClaimService claims, AuditLog audit, SeenIds rejections) {
        this.vault = vault;
        this.claims = claims;
        this.audit = audit;
        this.rejections = rejections;
    }

    /** Moves a finished draft from {@code Updates/} to {@code Pending_Approval/}; returns its id, or null if gone. */
    public String requestApproval(String fileName) throws IOException, TaskFormatException {
        Path file = vault.folder(Folder.UPDATES).resolve(fileName);
        TaskFile task;
        try {
            task = vault.read(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            vault.move(file, vault.folder(Folder.PENDING_APPROVAL));
        } catch (NoSuchFileException e) {
            return null;
        }
        audit.record("approval_requested", task.id(), Map.of("type", task.type(), "subject", task.getOrEmpty("subject")),
                "pending", null, "awaiting_approval");
        LOG.info("Task {} awaits your approval: move Pending_Approval/{} to Approved/ (or to Rejected/)", task.id(), fileName);
        return task.id();
    }

    /** Claims an approved file for execution; its path under {@code In_Progress/}, or null if another agent has it. */
    public String claim(String fileName) throws IOException {
        return claims.claim(vault.folder(Folder.APPROVED).resolve(fileName)).map(Path::toString).orElse(null);
    }

    /**
     * Where the task may be executed, most specific first: {@code direct:exec-email-reply-work-mail}
     * for an {@code email_reply} from channel {@code work-mail}. The type's own executor
     * ({@code direct:exec-email-reply}, the built-in mailbox) takes tasks without a channel and those
     * of the built-in channels, never another channel's: a reply never leaves from the wrong mailbox.
     */
    public List<String> executorCandidates(String claimedPath, Set<String> builtInChannels) throws IOException, TaskFormatException {
        TaskFile task = vault.read(Path.of(claimedPath));
        String base = "direct:exec-" + task.type().replace('_', '-');
        String channel = task.getOrEmpty("channel");
        if (channel.isEmpty()) {
            return List.of(base);
        }
        if (!channel.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw new TaskFormatException("channel '" + channel + "' is not allowed: use lower-case letters, digits and '-'");
        }
        return builtInChannels.contains(channel) ? List.of(base + "-" + channel, base) : List.of(base + "-" + channel);
    }

    /** Writes the owner's rejection to the audit log, once per task; the file stays in {@code Rejected/}. */
    public void rejected(String fileName) throws IOException {
        String id = fileName.replaceFirst("\\.md$", "");
        if (rejections.contains(id)) {
            return;
        }
        rejections.add(id);
        audit.record("task_rejected", id, Map.of(), "rejected", "owner", "not_executed");
        LOG.info("Task {} was rejected by the owner; nothing will be sent", id);
    }
}
