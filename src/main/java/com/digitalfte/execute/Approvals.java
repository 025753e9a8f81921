package com.digitalfte.execute;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    /** Who rejected a task outside the vault (a WhatsApp command, the command line), in its front matter. */
    public static final String REJECTED_BY = "rejected_by";
    /** Why, in the owner's words: the audit's {@code reason}. */
    public static final String REJECTION_REASON = "rejection_reason";

    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private final Vault vault;
    private final ClaimService claims;
    private final AuditLog audit;
    private final SeenIds rejections;
    private final ApprovalRules rules;
    private final boolean dryRun;
    private volatile Instant lastLimitLog = Instant.EPOCH;
    private final List<Path> interrupted;
    /** Executions interrupted by a stop: reconciled before any other approval is taken. */
    private final java.util.Set<String> reconcileFirst = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean resumed;

    public Approvals(Vault vault, ClaimService claims, AuditLog audit, SeenIds rejections, ApprovalRules rules, boolean dryRun) {
        this(vault, claims, audit, rejections, rules, dryRun, null);
    }

    /**
     * {@code agentName}: whose executions a restart resumes; the approved tasks it had claimed when it
     * stopped are noted now, before any route runs.
     */
    public Approvals(Vault vault, ClaimService claims, AuditLog audit, SeenIds rejections, ApprovalRules rules, boolean dryRun,
                     String agentName) {
        this.interrupted = agentName == null ? new ArrayList<>() : approvedClaims(vault, agentName);
        this.vault = vault;
        this.claims = claims;
        this.audit = audit;
        this.rejections = rejections;
        this.rules = rules;
        this.dryRun = dryRun;
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

    /**
     * After a restart: the approved tasks this agent had claimed but not finished go back to
     * {@code Approved/} and through the executor again, where the ledger decides: what it holds as
     * done is only filed, a Gmail draft it holds is reconciled with Gmail, anything else is executed.
     */
    public synchronized List<String> resumeInterrupted() throws IOException {
        List<String> ids = new ArrayList<>();
        for (Path claimed : interrupted) {
            if (Files.exists(claimed)) {
                vault.move(claimed, vault.folder(Folder.APPROVED));
                ids.add(claimed.getFileName().toString().replaceFirst("\\.md$", ""));
            }
        }
        interrupted.clear();
        reconcileFirst.addAll(ids);
        resumed = true;
        if (!ids.isEmpty()) {
            LOG.warn("Resuming {} approved task(s) this agent had claimed when it stopped: {}", ids.size(), ids);
        }
        return ids;
    }

    /**
     * Nothing new is taken before the executions a stop interrupted are reconciled with their
     * providers: until {@link #resumeInterrupted()} ran, and then until those few are claimed again.
     */
    private boolean mayTake(String fileName) {
        if (!resumed) {
            return false;
        }
        if (reconcileFirst.isEmpty()) {
            return true;
        }
        Path approved = vault.folder(Folder.APPROVED);
        reconcileFirst.removeIf(id -> !Files.exists(approved.resolve(id + ".md")));
        return reconcileFirst.isEmpty() || reconcileFirst.remove(fileName.replaceFirst("\\.md$", ""));
    }

    private static List<Path> approvedClaims(Vault vault, String agentName) {
        List<Path> found = new ArrayList<>();
        Path mine = vault.inProgress(agentName);
        if (!Files.isDirectory(mine)) {
            return found;
        }
        try (var files = Files.newDirectoryStream(mine, "[!.]*.md")) {
            for (Path f : files) {
                try {
                    if (vault.read(f).section(TaskFile.DRAFT).isPresent()) {
                        found.add(f);
                    }
                } catch (TaskFormatException unreadable) {
                    // a claim that cannot be read is not an execution to resume
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", mine, e.getMessage());
        }
        return found;
    }

    /**
     * A file that does not read as a task and changed in the last seconds is most likely still being
     * copied in (a sync tool, an editor saving in place): it is read again at the next look.
     */
    private static boolean stillBeingWritten(Path file) {
        try {
            return Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now()).compareTo(SETTLE) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Claims an approved file for execution; its path under {@code In_Progress/}, or null when it is
     * not to be executed now: another agent has it, its type is at its hourly limit (it waits in
     * {@code Approved/}), it expired or this is a dry run (it goes back to {@code Pending_Approval/}
     * with a note).
     */
    public String claim(String fileName) throws IOException {
        Path file = vault.folder(Folder.APPROVED).resolve(fileName);
        if (!mayTake(fileName)) {
            return null;
        }
        TaskFile task;
        try {
            task = vault.read(file);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (TaskFormatException unreadable) {
            if (stillBeingWritten(file)) {
                return null;
            }
            // claimed as it is: the failure handling files it in Failed/ with the reason
            return claims.claim(file).map(Path::toString).orElse(null);
        }
        if (!rules.underLimit(task.type())) {
            if (Duration.between(lastLimitLog, Instant.now()).toMinutes() >= 1) {
                lastLimitLog = Instant.now();
                LOG.warn("{} waits in Approved: {} in the last hour is the limit", task.id(), rules.limitOf(task.type()));
            }
            return null;
        }
        String refusal = rules.refusal(task);
        if (refusal == null && dryRun) {
            refusal = "dry run (DRY_RUN=true): nothing was sent; it would have been a " + task.type() + " to "
                    + task.get("reply_to").orElse(task.getOrEmpty("from")) + ", subject \"" + task.getOrEmpty("subject") + "\"";
        }
        if (refusal != null) {
            task.with("approval_note", refusal);
            vault.rewriteAndMove(file, task, vault.folder(Folder.PENDING_APPROVAL));
            audit.record(dryRun ? "dry_run" : "approval_refused", task.id(), Map.of("reason", refusal), "approved", "owner", "not_executed");
            LOG.warn("Task {} is back in Pending_Approval: {}", task.id(), refusal);
            return null;
        }
        return claims.claim(file).map(Path::toString).orElse(null);
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
        // a rejection made elsewhere than in the vault (a WhatsApp command) says by whom, and why
        String by = "owner";
        Map<String, String> why = Map.of();
        try {
            TaskFile task = vault.read(vault.folder(Folder.REJECTED).resolve(fileName));
            by = task.get(REJECTED_BY).orElse(by);
            why = task.get(REJECTION_REASON).map(reason -> Map.of("reason", reason)).orElse(why);
        } catch (IOException | TaskFormatException unreadable) {
            // rejected as it is: recorded as the owner's
        }
        audit.record("task_rejected", id, why, "rejected", by, "not_executed");
        LOG.info("Task {} was rejected by {}; nothing will be sent", id, by);
    }
}
