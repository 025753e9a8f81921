package com.digitalfte.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Prints the doctor's findings; exit 0 when nothing is wrong, 1 when something is. */
@Command(name = "doctor", description = "Check the settings, channels, credentials, servers, vault and remote; say how to fix each problem.")
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    private Cli cli;

    @Override
    public Integer call() {
        List<Doctor.Section> sections = new Doctor(cli.settings(), cli.dotEnv(), Clock.systemUTC()).examine();
        long problems = 0;
        for (Doctor.Section section : sections) {
            cli.out().println(section.title());
            for (Finding f : section.findings()) {
                cli.out().println("  " + f.level().label + "  " + f.text());
                if (f.fix() != null) {
                    cli.out().println("        fix: " + f.fix());
                }
                if (f.level() == Finding.Level.FAIL) {
                    problems++;
                }
            }
        }
        cli.out().println();
        cli.out().println(problems == 0 ? "All is well." : problems + " problem(s): each FAIL above says how to fix it.");
        return problems == 0 ? 0 : 1;
    }
}
