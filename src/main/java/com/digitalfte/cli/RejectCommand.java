package com.digitalfte.cli;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.execute.Approvals;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The owner's no: the task goes to {@code Rejected/}, with the reason in its front matter when one is given; nothing is sent. */
@Command(name = "reject", description = "Reject a task: move it to Rejected/, never to be sent, with an optional reason.")
final class RejectCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    @Parameters(index = "0", paramLabel = "<id>", description = "The task's id")
    private String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "reason", description = "Why, in a few words (kept in the task as rejection_reason)")
    private List<String> reason = List.of();

    @Override
    public Integer call() throws Exception {
        AgentConfig config = cli.config();
        if (config == null) {
            return 1;
        }
        Vault vault = new Vault(config.vaultPath());
        Path file = Decisions.find(cli, vault, id, Folder.PENDING_APPROVAL, Folder.FAILED);
        if (file == null) {
            return 1;
        }
        String from = file.getParent().getFileName().toString();
        String why = String.join(" ", reason).replaceAll("\\s+", " ").strip();
        TaskFile task = null;
        try {
            task = vault.read(file);
        } catch (TaskFormatException unreadable) {
            // rejected as it is: the reason cannot go into front matter that does not parse
        }
        if (task != null && !why.isEmpty()) {
            vault.rewriteAndMove(file, task.with(Approvals.REJECTED_BY, "cli").with(Approvals.REJECTION_REASON, why), vault.folder(Folder.REJECTED));
        } else {
            vault.move(file, vault.folder(Folder.REJECTED));
        }
        cli.out().println("Rejected " + id + ": moved " + from + "/" + id + ".md to Rejected/" + (why.isEmpty() ? "" : " (" + why + ")")
                + "; nothing will be sent.");
        return 0;
    }
}
