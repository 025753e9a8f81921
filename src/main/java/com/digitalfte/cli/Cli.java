package com.digitalfte.cli;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar digitalfte.jar [command]}: the agent ({@code run}, also with no command) and the
 * owner's and operator's tools, each of which reads the same settings (the environment, then
 * {@code .env}), finishes in seconds and starts no route. Exit 0: done, all well; 1: something is
 * wrong (the output says what and how to fix it); 2: the command line itself is wrong.
 */
@Command(name = "digitalfte", mixinStandardHelpOptions = true, version = "DigitalFTE 0.1.0",
        description = "A personal AI employee on Apache Camel. With no command: run the agent.",
        subcommands = {RunCommand.class, SyncCommand.class, StatusCommand.class, DoctorCommand.class, ApproveCommand.class,
                RejectCommand.class, HawtioCommand.class, CommandLine.HelpCommand.class})
public final class Cli implements Callable<Integer> {

    private final Map<String, String> environment;
    private final Path workDir;

    @Spec
    CommandSpec spec;

    Cli(Map<String, String> environment, Path workDir) {
        this.environment = environment;
        this.workDir = workDir;
    }

    /** Runs one command line with these settings; its exit code. */
    public static int execute(String[] args, Map<String, String> environment, Path workDir, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Cli(environment, workDir));
        line.setOut(out);
        line.setErr(err);
        return line.execute(args);
    }

    /** Whether this command line runs the agent (which logs as it works) rather than a tool (which prints). */
    public static boolean runsAgent(String[] args) {
        return args.length == 0 || List.of("run").contains(args[0]);
    }

    @Override
    public Integer call() throws Exception {
        return new RunCommand(this).call();
    }

    /** The settings as the agent reads them: the environment, then {@code .env} in the working directory. */
    Settings settings() {
        return Settings.load(environment, workDir.resolve(".env"));
    }

    Map<String, String> environment() {
        return environment;
    }

    Path dotEnv() {
        return workDir.resolve(".env");
    }

    /** The agent's configuration, or null after saying on standard error why the settings are wrong. */
    AgentConfig config() {
        try {
            return AgentConfig.from(settings());
        } catch (IllegalArgumentException e) {
            err().println("The settings are wrong: " + e.getMessage());
            return null;
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
