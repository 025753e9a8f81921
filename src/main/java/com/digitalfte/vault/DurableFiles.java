package com.digitalfte.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Files that are still there after a power cut once a write returns: the content is fsynced before
 * the rename that makes it visible, and the directory after it, because a rename (like any new name
 * in a directory) is only on disk once its directory is fsynced too. Task files, the cursors and the
 * other state files under {@code .state/} are written this way.
 */
public final class DurableFiles {

    /** Windows cannot open a directory as a file, and NTFS makes a rename durable without it. */
    private static final boolean DIRECTORIES_CAN_BE_SYNCED = !System.getProperty("os.name", "").startsWith("Windows");

    private DurableFiles() {
    }

    /**
     * Replaces {@code target} with {@code content} in one atomic rename from a temporary file in
     * {@code tempDir} (which must be on the same file system), so a reader sees the old file or the
     * new one, never half of it.
     */
    public static void writeAtomically(Path target, byte[] content, Path tempDir) throws IOException {
        Files.createDirectories(tempDir);
        Files.createDirectories(target.getParent());
        Path temp = tempDir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Renames a complete, fsynced file over {@code target} and makes the new name durable. */
    public static void moveIntoPlace(Path complete, Path target) throws IOException {
        Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** Makes the names in {@code dir} (files created, renamed in or out) durable. */
    public static void syncDirectory(Path dir) throws IOException {
        if (!DIRECTORIES_CAN_BE_SYNCED) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
