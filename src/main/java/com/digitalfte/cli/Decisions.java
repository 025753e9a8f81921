package com.digitalfte.cli;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** The task an owner's decision is about, found in the folders it may be taken from, or why not. */
final class Decisions {

    private Decisions() {
    }

    /**
     * The task's file in the first of these folders that holds it; null after saying where it is
     * instead. An id that cannot be a task's is a usage error: it never becomes a path.
     */
    static Path find(Cli cli, Vault vault, String id, Folder... from) {
        if (!TaskIds.isValid(id)) {
            throw new CommandLine.ParameterException(cli.spec.commandLine(), "'" + id + "' is not a task id (letters, digits, '_' and '-', e.g. EMAIL_18c2f9a0b1c2d3e4)");
        }
        for (Folder f : from) {
            Path file = vault.file(f, id);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        String folders = Arrays.stream(from).map(f -> f.dirName() + "/").collect(Collectors.joining(" or "));
        List<Path> elsewhere = Files.isDirectory(vault.root()) ? vault.locate(id) : List.of();
        if (elsewhere.isEmpty()) {
            cli.out().println("No task " + id + " in " + vault.root() + ": not in " + folders + " nor anywhere else (`status` lists the queues).");
        } else {
            cli.out().println(id + " is in " + vault.root().relativize(elsewhere.get(0).getParent()) + "/, not in " + folders
                    + ": nothing was changed.");
        }
        return null;
    }
}
