package com.digitalfte.cli;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The owner's yes, as moving the file in Obsidian says it: {@code Pending_Approval/<id>.md} (or a
 * task in {@code Failed/}, to try it again) goes to {@code Approved/}, where the local agent executes it.
 */
@Command(name = "approve", description = "Approve a task: move it from Pending_Approval/ (or Failed/, to retry) to Approved/.")
final class ApproveCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    @Parameters(index = "0", paramLabel = "<id>", description = "The task's id, e.g. EMAIL_18c2f9a0b1c2d3e4")
    private String id;

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
        vault.move(file, vault.folder(Folder.APPROVED));
        cli.out().println("Approved " + id + ": moved " + from + "/" + id + ".md to Approved/.");
        cli.out().println(config.type().executes() ? "The local agent executes it within seconds while it runs; `status` shows where it is."
                : "This is a " + config.type().id() + " agent, which never executes: the local agent does once the vault is synced.");
        return Files.exists(vault.file(Folder.APPROVED, id)) ? 0 : 1;
    }
}
