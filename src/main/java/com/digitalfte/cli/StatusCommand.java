package com.digitalfte.cli;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.dashboard.DashboardWriter;
import com.digitalfte.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The queues and the agents, as the Dashboard shows them, from this machine's vault as it is now. */
@Command(name = "status", description = "Print the queues and the agents, as on the Dashboard.")
final class StatusCommand implements Callable<Integer> {

    private static final List<String> SECTIONS = List.of("## Queues", "## Agents");

    @ParentCommand
    private Cli cli;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = cli.config();
        if (config == null) {
            return 1;
        }
        Vault vault = new Vault(config.vaultPath());
        if (!java.nio.file.Files.isDirectory(vault.root())) {
            cli.out().println("There is no vault at " + vault.root() + " (VAULT_PATH): the agent makes it at its first start.");
            return 1;
        }
        String body = new DashboardWriter(vault, new AuditLog(vault.logs(), config.name()), config.name(), Duration.ofMinutes(5),
                Clock.systemDefaultZone()).body();
        cli.out().println("Vault " + vault.root());
        for (String part : ("\n" + body).split("\n(?=## )")) {
            if (SECTIONS.stream().anyMatch(part::startsWith)) {
                cli.out().println();
                cli.out().print(part.endsWith("\n") ? part : part + "\n");
            }
        }
        return 0;
    }
}
