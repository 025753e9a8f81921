package com.digitalfte.cli;

import com.digitalfte.DigitalFte;
import com.digitalfte.config.AgentConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The agent itself, until it is stopped (Ctrl-C, SIGTERM); what the jar does with no command. */
@Command(name = "run", description = "Run the agent (the default when no command is given).")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    RunCommand() {
    }

    RunCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        DigitalFte agent;
        try {
            agent = new DigitalFte(AgentConfig.from(cli.settings()));
        } catch (IllegalArgumentException e) {
            cli.err().println("DigitalFTE cannot start: " + e.getMessage());
            return 2;
        }
        agent.run();
        return 0;
    }
}
