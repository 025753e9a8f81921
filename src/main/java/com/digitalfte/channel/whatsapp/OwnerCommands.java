package com.digitalfte.channel.whatsapp;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.execute.Approvals;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's commands from WhatsApp, and the answer to each. An approval or a rejection is the move
 * the owner would make in the vault, with {@code approved_by} (or {@code rejected_by}) set to the
 * owner's WhatsApp address, which the executor's audit line records. The task is first taken out
 * of {@code Pending_Approval/} with one rename (to {@code .state/whatsapp/deciding/}), so nothing
 * changes it between the check of its version and the move: an approval is of the version the owner
 * was shown, and of no other.
 */
public final class OwnerCommands {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerCommands.class);
    private static final int LIST_LINES = 15;
    private static final int DRAFT_SHOWN = 1200;

    static final String HELP = """
            Commands:
            list: what waits for your approval
            show <id>: the draft in full
            approve <id>: send it
            reject <id> [reason]: drop it
            status: the queues
            An id may be its first letters or its number in the last list.""";

    private final Vault vault;
    private final AuditLog audit;
    private final PendingApprovals pending;
    private final DraftVersions versions;
    private final String owner;
    private final Path deciding;

    /** {@code owner}: the owner's address ({@code whatsapp:+...}), what the decisions record. */
    public OwnerCommands(Vault vault, AuditLog audit, PendingApprovals pending, DraftVersions versions, String owner) {
        this.vault = vault;
        this.audit = audit;
        this.pending = pending;
        this.versions = versions;
        this.owner = owner;
        this.deciding = vault.state().resolve("whatsapp/deciding");
        putBackUndecided();
    }

    /** The answer to what the owner wrote: a command's result, or the list of commands. */
    public String answer(String text) throws IOException {
        OwnerCommand command = OwnerCommand.parse(text).orElse(null);
        if (command == null) {
            return "That is not a command I know.\n" + HELP;
        }
        return switch (command.kind()) {
            case HELP -> HELP;
            case STATUS -> status();
            case LIST -> list();
            case SHOW -> withId(command, this::show);
            case APPROVE -> withId(command, id -> approve(id, command.argument()));
            case REJECT -> withId(command, id -> reject(id, command.argument()));
        };
    }

    private interface OnId {
        String apply(String id) throws IOException;
    }

    private String withId(OwnerCommand command, OnId action) throws IOException {
        PendingApprovals.Resolved resolved = pending.resolve(command.reference());
        return resolved.id() == null ? "Sorry: " + resolved.problem() + "." : action.apply(resolved.id());
    }

    private String list() {
        List<PendingApprovals.Pending> all = pending.all();
        if (all.isEmpty()) {
            pending.numbered(List.of());
            return "Nothing waits for your approval.";
        }
        List<PendingApprovals.Pending> shown = all.subList(0, Math.min(LIST_LINES, all.size()));
        pending.numbered(shown.stream().map(PendingApprovals.Pending::id).toList());
        StringBuilder text = new StringBuilder(all.size() + " waiting for your approval:\n");
        for (int i = 0; i < shown.size(); i++) {
            PendingApprovals.Pending p = shown.get(i);
            versions.shown(p.id(), p.version());
            text.append(i + 1).append(". ").append(p.line()).append('\n');
        }
        if (all.size() > shown.size()) {
            text.append("and ").append(all.size() - shown.size()).append(" more in Pending_Approval/.\n");
        }
        return text.append("Reply approve <number>, show <number> or reject <number>.").toString();
    }

    private String show(String id) {
        return pending.find(id).map(p -> {
            versions.shown(p.id(), p.version());
            String draft = p.task().section(TaskFile.DRAFT).orElse("(no draft)");
            if (draft.length() > DRAFT_SHOWN) {
                draft = draft.substring(0, DRAFT_SHOWN) + "… (" + (draft.length() - DRAFT_SHOWN) + " more characters: read it in the vault)";
            }
            return p.line() + "\n\n" + draft + "\n\nReply approve " + p.id() + " to send this version, or reject " + p.id() + " [reason].";
        }).orElse("Sorry: " + id + " no longer waits for approval.");
    }

    private String approve(String id, String confirmed) throws IOException {
        Path held = take(id);
        if (held == null) {
            return "Sorry: " + id + " no longer waits for approval (moved or decided meanwhile).";
        }
        TaskFile task;
        try {
            task = vault.read(held);
        } catch (TaskFormatException unreadable) {
            vault.move(held, vault.folder(Folder.PENDING_APPROVAL));
            return "Sorry: " + id + " cannot be read (" + unreadable.getMessage() + "); fix it in the vault.";
        }
        String current = DraftVersions.of(task);
        String seen = confirmed != null ? confirmed : versions.lastShown(id).orElse(null);
        if (seen == null || !current.startsWith(seen)) {
            vault.move(held, vault.folder(Folder.PENDING_APPROVAL));
            versions.shown(id, current);
            LOG.info("Task {}: approval from WhatsApp not taken: the draft is version {}, the owner saw {}", id, current, seen);
            return (seen == null ? "You have not seen this draft of " + id + " yet"
                    : "The draft of " + id + " changed since you saw it (v" + seen + ")") + ": it is now v" + current
                    + ". Send show " + id + " to read it, or approve " + id + " " + current + " to send this version.";
        }
        task.with("approved_by", owner).with("approved_version", current);
        vault.rewriteAndMove(held, task, vault.folder(Folder.APPROVED));
        audit.record("task_approved", id, Map.of("channel", "whatsapp", "version", current), "approved", owner, "approved");
        LOG.info("Task {} (v{}) approved by {} on WhatsApp", id, current, owner);
        return "Approved " + id + " (v" + current + "): it goes out now.";
    }

    private String reject(String id, String reason) throws IOException {
        Path held = take(id);
        if (held == null) {
            return "Sorry: " + id + " no longer waits for approval (moved or decided meanwhile).";
        }
        try {
            TaskFile task = vault.read(held).with(Approvals.REJECTED_BY, owner);
            if (reason != null) {
                task.with(Approvals.REJECTION_REASON, PendingApprovals.clip(reason, 500));
            }
            vault.rewriteAndMove(held, task, vault.folder(Folder.REJECTED));
        } catch (TaskFormatException unreadable) {
            // rejected as it is: nothing will ever execute it
            vault.move(held, vault.folder(Folder.REJECTED));
        }
        LOG.info("Task {} rejected by {} on WhatsApp", id, owner);
        return "Rejected " + id + ": nothing will be sent.";
    }

    /** The task taken out of Pending_Approval/ with one rename, or null when it is no longer there. */
    private Path take(String id) throws IOException {
        try {
            return vault.move(vault.file(Folder.PENDING_APPROVAL, id), deciding);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** A task taken to be decided when the agent stopped goes back to wait, unless it turned up elsewhere meanwhile. */
    private void putBackUndecided() {
        if (!Files.isDirectory(deciding)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(deciding, "*.md")) {
            for (Path f : files) {
                String id = f.getFileName().toString().replaceFirst("\\.md$", "");
                if (vault.contains(id)) {
                    LOG.warn("Task {} was being decided on WhatsApp when the agent stopped and is in the vault again; {} is left as it is", id, f);
                } else {
                    vault.move(f, vault.folder(Folder.PENDING_APPROVAL));
                    LOG.info("Task {} was being decided on WhatsApp when the agent stopped: it waits in Pending_Approval again", id);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look at {}: {}", deciding, e.getMessage());
        }
    }

    /** The Dashboard's queues in one line. */
    private String status() {
        Map<String, Folder> queues = new LinkedHashMap<>();
        queues.put("new", Folder.NEEDS_ACTION);
        queues.put("drafts arriving", Folder.UPDATES);
        queues.put("waiting for you", Folder.PENDING_APPROVAL);
        queues.put("approved", Folder.APPROVED);
        queues.put("done", Folder.DONE);
        queues.put("failed", Folder.FAILED);
        queues.put("rejected", Folder.REJECTED);
        StringBuilder line = new StringBuilder();
        queues.forEach((name, folder) -> line.append(line.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(vault.count(vault.folder(folder))));
        int inProgress = 0;
        try (DirectoryStream<Path> agents = Files.newDirectoryStream(vault.folder(Folder.IN_PROGRESS), Files::isDirectory)) {
            for (Path a : agents) {
                inProgress += vault.count(a);
            }
        } catch (IOException none) {
            // no claims
        }
        return "Queues: " + line + ", in progress " + inProgress + ".";
    }
}
