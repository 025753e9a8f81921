package com.digitalfte.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The vault on disk: folders are states, a move is a state change, and every write is a write to a
 * temporary file outside the watched folders followed by an atomic rename (readers never see half a file).
 */
public final class Vault {

    private static final java.util.regex.Pattern AGENT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static final long MAX_TASK_BYTES = 1024 * 1024;
    public static final String GITIGNORE = """
            # written by DigitalFTE: what never leaves this machine
            .env
            .env.*
            *.processed_*
            .whatsapp_*
            *_token.json
            credentials.json
            .state/
            Logs/
            .obsidian/workspace*.json
            # heartbeats travel on branches of their own, never in the vault's history
            Updates/agents/
            """;
    private static final List<String> HUMAN_FILES = List.of(
            "Dashboard.md", "Company_Handbook.md", "Business_Goals.md", "Accounting/Rates.md");

    private final Path root;

    public Vault(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Creates what is missing: every folder, the agent's claim folder, the .gitignore, and on the local side the owner's files. */
    public void init(String agentName, boolean seedOwnerFiles) {
        try {
            for (Folder f : Folder.values()) {
                Files.createDirectories(folder(f));
            }
            Files.createDirectories(inProgress(agentName));
            Files.createDirectories(heartbeats());
            Files.createDirectories(root.resolve("Plans"));
            Files.createDirectories(root.resolve("Accounting"));
            Files.createDirectories(logs());
            Files.createDirectories(tmp());
            ensureGitignore(root.resolve(".gitignore"));
            if (seedOwnerFiles) {
                for (String name : HUMAN_FILES) {
                    Path target = root.resolve(name);
                    if (!Files.exists(target)) {
                        try (InputStream in = Vault.class.getResourceAsStream("/vault-template/" + name)) {
                            if (in != null) {
                                writeAtomically(target, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the vault at " + root, e);
        }
    }

    /** The .gitignore holds every line of {@link #GITIGNORE}: written on first start, completed after an upgrade. */
    private void ensureGitignore(Path gitignore) throws IOException {
        if (!Files.exists(gitignore)) {
            writeAtomically(gitignore, GITIGNORE);
            return;
        }
        String text = Files.readString(gitignore, StandardCharsets.UTF_8);
        java.util.Set<String> present = new java.util.HashSet<>(List.of(text.split("\\R")));
        StringBuilder missing = new StringBuilder();
        for (String line : GITIGNORE.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#") && !present.contains(line)) {
                missing.append(line).append('\n');
            }
        }
        if (missing.length() > 0) {
            writeAtomically(gitignore, text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + missing);
        }
    }

    public Path folder(Folder folder) {
        return root.resolve(folder.dirName());
    }

    /** Whether a name is an agent's: one that may name its folder in {@code In_Progress/} and its heartbeat. */
    public static boolean isAgentName(String name) {
        return name != null && AGENT_NAME.matcher(name).matches();
    }

    public Path inProgress(String agentName) {
        return folder(Folder.IN_PROGRESS).resolve(agentName);
    }

    public Path heartbeats() {
        return folder(Folder.UPDATES).resolve("agents");
    }

    public Path logs() {
        return root.resolve("Logs");
    }

    public Path state() {
        return root.resolve(".state");
    }

    private Path tmp() {
        return state().resolve("tmp");
    }

    public Path file(Folder folder, String id) {
        return folder(folder).resolve(id + ".md");
    }

    /** Every place this id is found: the state folders and every agent's claim folder. */
    public List<Path> locate(String id) {
        List<Path> found = new ArrayList<>();
        String name = id + ".md";
        for (Folder f : Folder.values()) {
            if (f == Folder.IN_PROGRESS) {
                try (DirectoryStream<Path> agents = Files.newDirectoryStream(folder(f), Files::isDirectory)) {
                    for (Path agentDir : agents) {
                        addIfExists(found, agentDir.resolve(name));
                    }
                } catch (NoSuchFileException e) {
                    // no claims yet
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                addIfExists(found, folder(f).resolve(name));
            }
        }
        return found;
    }

    private static void addIfExists(List<Path> found, Path p) {
        if (Files.exists(p)) {
            found.add(p);
        }
    }

    public boolean contains(String id) {
        return !locate(id).isEmpty();
    }

    /** Reads a task file; its name must be its id, so a file can never stand for another task. */
    public TaskFile read(Path file) throws TaskFormatException, IOException {
        TaskFile task = TaskFile.parse(readText(file));
        String name = file.getFileName().toString();
        if (!name.equals(task.id() + ".md")) {
            throw new TaskFormatException("the file name " + name + " does not match its id " + task.id() + " (name it " + task.id() + ".md)");
        }
        return task;
    }

    /** Reads a whole task file as strict UTF-8, refusing anything larger than {@link #MAX_TASK_BYTES}. */
    public static String readText(Path file) throws TaskFormatException, IOException {
        long size = Files.size(file);
        if (size > MAX_TASK_BYTES) {
            throw new TaskFormatException("file is " + size + " bytes; a task file may hold at most " + MAX_TASK_BYTES);
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TaskFormatException("file is not UTF-8 text");
        }
    }

    /** Writes the task as {@code <dir>/<id>.md}, atomically. */
    public Path write(Path dir, TaskFile task) throws IOException {
        Path target = dir.resolve(task.id() + ".md");
        writeAtomically(target, task.render());
        return target;
    }

    public void writeAtomically(Path target, String content) throws IOException {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the file atomically and durably: once this returns, a power cut cannot take it back. */
    public void writeAtomically(Path target, byte[] content) throws IOException {
        DurableFiles.writeAtomically(target, content, tmp());
    }

    /** The file as it is with a note after it, copied on disk (a 50 MB file never passes through the heap). */
    private void appendAtomically(Path target, byte[] note) throws IOException {
        Files.createDirectories(tmp());
        Path temp = tmp().resolve(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.copy(target, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(note);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            DurableFiles.moveIntoPlace(temp, target);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Moves a file into a folder with one atomic rename, durable when this returns. A
     * {@link NoSuchFileException} means somebody else moved it first, which callers treat as a lost
     * race, not an error.
     */
    public Path move(Path file, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(file.getFileName());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the vault must be on one file system: " + e.getMessage(), e);
        }
        // the new folder first: after a power cut the task is at least where it went, and at worst
        // also where it was, which the one-id-one-folder check repairs toward the later state
        DurableFiles.syncDirectory(dir);
        DurableFiles.syncDirectory(file.getParent());
        return target;
    }

    /**
     * Rewrites a task where it is, then moves it to {@code dir} with one rename: at no moment is the
     * task in two folders, whoever looks (a sync, another agent after a pull).
     */
    public Path rewriteAndMove(Path file, TaskFile task, Path dir) throws IOException {
        writeAtomically(file, task.render());
        return move(file, dir);
    }

    /**
     * Files a task that cannot go on in {@code Failed/}, with an {@code ## Error} section saying why.
     * Nothing is lost: a file that cannot be parsed keeps its text and gets the reason appended.
     */
    public Path fail(Path file, String reason) throws IOException {
        return fail(file, reason, false);
    }

    /** Moves the task to {@code Failed/} with an {@code ## Error}; an uncertain one also gets {@code uncertain: true}. */
    public Path fail(Path file, String reason, boolean uncertain) throws IOException {
        String text;
        try {
            TaskFile task = TaskFile.parse(readText(file));
            if (uncertain) {
                task.with("uncertain", true);
            }
            text = task.withSection(TaskFile.ERROR, reason).render();
        } catch (TaskFormatException e) {
            appendAtomically(file, ("\n\n## Error\n\n" + reason + "\n").getBytes(StandardCharsets.UTF_8));
            return move(file, folder(Folder.FAILED));
        }
        writeAtomically(file, text);
        return move(file, folder(Folder.FAILED));
    }

    public int count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.md")) {
            int n = 0;
            for (Path ignored : files) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }
}
