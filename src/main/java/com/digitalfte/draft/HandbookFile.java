package com.digitalfte.draft;

import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Company_Handbook.md} as the drafter uses it: parsed once per version of the file (its
 * modification time, size and identity), not at every draft. A missing file means the defaults. A
 * file that cannot be read (an I/O error, not UTF-8, too large) is never taken for an empty rule
 * set, which would silently drop the owner's ignore rules: the last version read stays in use, and
 * with none there is no draft. Each change of state is logged once, not at every draft.
 */
public final class HandbookFile {

    private static final Logger LOG = LoggerFactory.getLogger(HandbookFile.class);
    /** Far above any handbook a person writes, and still small enough to go into every prompt. */
    private static final long MAX_BYTES = 256 * 1024;
    private static final Handbook DEFAULTS = new Handbook("");
    private static final String MISSING = "missing";

    private record Version(FileTime modified, long size, Object fileKey) {
    }

    /** A version that could not be read, and why: logged once, and again when either changes. */
    private record Unreadable(Version version, String reason) {
    }

    private final Path file;
    private Version readVersion;
    private Handbook lastRead;
    private String problem;
    /** The state the log last told: {@link #MISSING}, the {@link Version} read, or an {@link Unreadable}. */
    private Object lastLogged;

    public HandbookFile(Path file) {
        this.file = file;
    }

    /**
     * The handbook to draft with.
     *
     * @throws IOException when the file cannot be read and no earlier version was read since start;
     *     the message says what to fix (the task goes to {@code Failed/} with it)
     */
    public synchronized Handbook current() throws IOException {
        Handbook handbook = refresh();
        if (handbook == null) {
            throw new IOException(problem + " Fix the file, then move this task back to Needs_Action/ to draft it.");
        }
        return handbook;
    }

    /** Why the owner's handbook is not what the drafts follow right now, for the Dashboard; empty when it is. */
    public synchronized Optional<String> problem() {
        refresh();
        return Optional.ofNullable(problem);
    }

    private Handbook refresh() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (!MISSING.equals(lastLogged)) {
                LOG.info("There is no {}: drafts follow the defaults (a polite holding reply, no triage rules)", file);
            }
            lastLogged = MISSING;
            problem = null;
            return DEFAULTS;
        } catch (IOException e) {
            return unreadable(null, reasonOf(e));
        }
        Version version = new Version(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        if (!version.equals(readVersion)) {
            try {
                lastRead = new Handbook(readText(attributes));
                readVersion = version;
            } catch (IOException e) {
                return unreadable(version, reasonOf(e));
            }
        }
        if (problem != null) {
            LOG.info("{} can be read again: drafts follow it", file.getFileName());
        }
        lastLogged = version;
        problem = null;
        return lastRead;
    }

    private Handbook unreadable(Version version, String reason) {
        problem = file.getFileName() + " cannot be read (" + reason + ")."
                + (lastRead == null ? " Nothing is drafted until it can be read."
                        : " Drafts follow the version saved at " + readVersion.modified() + " until it is fixed.");
        Unreadable state = new Unreadable(version, reason);
        if (!state.equals(lastLogged)) {
            LOG.error(problem);
        }
        lastLogged = state;
        return lastRead;
    }

    private String readText(BasicFileAttributes attributes) throws IOException {
        if (!attributes.isRegularFile()) {
            throw new IOException("it is not a file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new IOException("it is " + attributes.size() / 1024 + " KB; a handbook may be at most " + MAX_BYTES / 1024 + " KB");
        }
        try {
            return Vault.readText(file);
        } catch (TaskFormatException notText) {
            // the size was checked above: what is refused here is the encoding
            throw new IOException("it is not UTF-8 text: save it as UTF-8");
        }
    }

    private static String reasonOf(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "this agent may not read it";
        }
        return e.getClass() == IOException.class ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
