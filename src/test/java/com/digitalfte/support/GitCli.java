package com.digitalfte.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code git} command line, for setting up remotes and checking what really reached them. */
public final class GitCli {

    private GitCli() {
    }

    public static String run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Owner", "-c", "user.email=owner@example.com",
                "-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bare repository at {@code dir/name}. */
    public static Path bareRemote(Path dir, String name) {
        run(dir, "init", "--bare", "-q", "-b", "main", name);
        return dir.resolve(name);
    }

    public static Path cloneOf(Path remote, Path dir, String name) {
        run(dir, "clone", "-q", remote.toString(), name);
        return dir.resolve(name);
    }

    /** The files on the remote's branch, one path a line. */
    public static List<String> filesOn(Path bareRemote, String branch) {
        try {
            String out = run(bareRemote, "ls-tree", "-r", "--name-only", branch);
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        } catch (IllegalStateException noBranchYet) {
            return List.of();
        }
    }

    /** Pushes the clone's branch, pulling and pushing again while agents keep moving the remote. */
    public static void pushRetrying(Path clone) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                run(clone, "push", "-q", "origin", "main");
                return;
            } catch (IllegalStateException rejected) {
                run(clone, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main");
            }
        }
        throw new IllegalStateException("could not push from " + clone + " in 20 tries");
    }
}
