package com.digitalfte.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git's lock files ({@code index.lock}, a ref's {@code .lock}) left behind by a process that
 * stopped while writing; every later commit would fail on them. The vault's repository is shared
 * with the owner's git CLI and Obsidian-git, so a lock is stale only when it is old and no git
 * process runs on the repository, never because it exists. Without {@code /proc} (macOS, Windows)
 * its age alone decides.
 */
public final class StaleGitLocks {

    private static final Logger LOG = LoggerFactory.getLogger(StaleGitLocks.class);
    /** Older than any commit, checkout or fetch takes; younger locks are being written. */
    public static final Duration DEFAULT_MIN_AGE = Duration.ofMinutes(5);
    /** Packs (whose locks are git gc's and git fetch's), submodules' and linked work trees' own repositories. */
    private static final Set<String> NOT_THIS_WORK_TREE = Set.of("objects", "modules", "worktrees");
    /** Options of git that take the next argument as their value. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-C", "-c", "--git-dir", "--work-tree", "--namespace");
    private static final Path PROC = Path.of("/proc");

    private StaleGitLocks() {
    }

    /** Removes the stale locks of the repository at {@code gitDir} and returns them; one log line per lock, removed or left. */
    public static List<Path> clear(Path gitDir, Path workTree, Duration minAge) throws IOException {
        Map<Path, Duration> old = new LinkedHashMap<>();
        Instant now = Instant.now();
        for (Path lock : locks(gitDir)) {
            Duration age;
            try {
                age = Duration.between(Files.getLastModifiedTime(lock).toInstant(), now);
            } catch (NoSuchFileException released) {
                continue;
            }
            if (age.compareTo(minAge) < 0) {
                LOG.info("Left the git lock {} in place: it is {} old, so a git process is probably still writing it", lockName(gitDir, lock), words(age));
            } else {
                old.put(lock, age);
            }
        }
        if (old.isEmpty()) {
            return List.of();
        }
        Optional<String> gitProcess = gitProcessOn(gitDir.toRealPath(), workTree.toRealPath());
        List<Path> removed = new ArrayList<>();
        for (Map.Entry<Path, Duration> lock : old.entrySet()) {
            if (gitProcess.isPresent()) {
                LOG.info("Left the git lock {} in place: {} and probably holds it", lockName(gitDir, lock.getKey()), gitProcess.get());
            } else if (Files.deleteIfExists(lock.getKey())) {
                removed.add(lock.getKey());
                LOG.warn("Removed the git lock {}: {} old and no git process runs on this repository (left by one that stopped while writing)",
                        lockName(gitDir, lock.getKey()), words(lock.getValue()));
            }
        }
        return removed;
    }

    private static String lockName(Path gitDir, Path lock) {
        return gitDir.relativize(lock).toString().replace('\\', '/');
    }

    private static List<Path> locks(Path gitDir) throws IOException {
        List<Path> locks = new ArrayList<>();
        Files.walkFileTree(gitDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return gitDir.equals(dir.getParent()) && NOT_THIS_WORK_TREE.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".lock")) {
                    locks.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // gone while we looked: a git process just released it
                return FileVisitResult.CONTINUE;
            }
        });
        return locks;
    }

    /** A live git process working in the work tree or the git directory, said for the log; empty without /proc. */
    private static Optional<String> gitProcessOn(Path gitDir, Path workTree) throws IOException {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                Optional<String> found = gitProcessOn(process, gitDir, workTree);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> gitProcessOn(Path process, Path gitDir, Path workTree) {
        List<String> args;
        String command;
        try {
            args = arguments(Files.readAllBytes(process.resolve("cmdline")));
            command = Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException exited) {
            return Optional.empty();
        }
        if (args.isEmpty() || !(isGit(command) || args.stream().flatMap(a -> List.of(a.split("\\s+")).stream()).anyMatch(StaleGitLocks::isGit))) {
            return Optional.empty();
        }
        String who = "git process " + process.getFileName() + " (" + commandName(args) + ")";
        Path cwd;
        try {
            cwd = Files.readSymbolicLink(process.resolve("cwd"));
        } catch (IOException e) {
            // another user's process: where it works cannot be seen, so it may be in this repository
            return Optional.of(who + " may run on this repository (its folder cannot be seen here)");
        }
        for (Path dir : workingPlaces(cwd, args)) {
            if (dir.startsWith(workTree) || dir.startsWith(gitDir)) {
                return Optional.of(who + " runs on this repository");
            }
        }
        return Optional.empty();
    }

    /** Where a git command works: its folder, or where {@code -C} takes it, and what {@code --git-dir} and {@code --work-tree} name. */
    private static List<Path> workingPlaces(Path cwd, List<String> args) {
        List<Path> places = new ArrayList<>();
        Path dir = cwd;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : "";
            if (arg.equals("-C")) {
                dir = dir.resolve(value).normalize();
                i++;
            } else if (arg.equals("--git-dir") || arg.equals("--work-tree")) {
                places.add(dir.resolve(value).normalize());
                i++;
            } else if (arg.startsWith("--git-dir=") || arg.startsWith("--work-tree=")) {
                places.add(dir.resolve(arg.substring(arg.indexOf('=') + 1)).normalize());
            }
        }
        places.add(dir);
        return places;
    }

    private static boolean isGit(String program) {
        String name = program.substring(program.lastIndexOf('/') + 1);
        return name.equals("git") || name.startsWith("git-");
    }

    /** The program and its subcommand ("git commit"); never the rest, which may hold a remote's URL with a token. */
    private static String commandName(List<String> args) {
        String program = args.get(0).substring(args.get(0).lastIndexOf('/') + 1);
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return arg.contains("://") ? program : program + " " + arg;
            }
        }
        return program;
    }

    private static List<String> arguments(byte[] cmdline) {
        List<String> args = new ArrayList<>();
        for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
            if (!arg.isEmpty()) {
                args.add(arg);
            }
        }
        return args;
    }

    private static String words(Duration age) {
        return age.toMinutes() >= 2 ? age.toMinutes() + " min" : Math.max(0, age.toSeconds()) + " s";
    }
}
