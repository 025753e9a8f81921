package com.digitalfte.cli;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.secrets.Masking;
import com.digitalfte.sync.SyncResult;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.Vault;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * One sync, as the agent makes it, and what it moved: the commits and each task that arrived,
 * changed folder or went. A running agent syncs by itself; this is for a stopped one, or to see now.
 */
@Command(name = "sync", description = "Sync the vault with its remote once and print what moved.")
final class SyncCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = cli.config();
        if (config == null) {
            return 1;
        }
        Vault vault = AgentTools.vault(config);
        Map<String, String> before = TaskPlaces.of(vault);
        SyncResult result;
        try (VaultSync sync = AgentTools.sync(config, vault)) {
            result = sync.sync();
        }
        List<String> moves = TaskPlaces.moves(before, TaskPlaces.of(vault));
        String where = config.gitRemote().isEmpty() ? "the vault's own history (GIT_REMOTE is empty)"
                : "remote '" + config.gitRemote() + "' branch " + config.gitBranch();
        if (!result.ok()) {
            cli.out().println("Sync with " + where + " failed (" + result.result() + "): " + Masking.mask(result.error()));
            cli.out().println(result.files() + " file(s) committed here meanwhile; nothing is lost, and the next sync tries again.");
            return 1;
        }
        cli.out().println("Synced with " + where + " in " + result.millis() + " ms: " + result.result() + ", " + result.files()
                + " file(s) committed, " + result.pulled() + " commit(s) pulled, " + result.pushed() + " pushed");
        if (moves.isEmpty()) {
            cli.out().println("No task moved.");
        }
        moves.forEach(line -> cli.out().println("  " + line));
        return 0;
    }
}
