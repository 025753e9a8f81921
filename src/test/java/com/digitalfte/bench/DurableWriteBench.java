package com.digitalfte.bench;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fsync of the folder after each rename costs a task: 1,000 task files written into
 * Needs_Action/ and 1,000 moved on to In_Progress/, as the vault does it (file fsync, rename, folder
 * fsync) and without the folder's fsync (how it was before), three rounds each, in this JVM.
 */
class DurableWriteBench {

    private static final int TASKS = Integer.getInteger("bench.tasks", 1000);

    @TempDir
    Path dir;

    @Test
    void folderFsyncPerTask() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            Vault vault = new Vault(dir.resolve("round" + round));
            vault.init("cloud", false);
            Path needsAction = vault.folder(Folder.NEEDS_ACTION);
            Path claimed = vault.inProgress("cloud");
            byte[] content = task("EMAIL_plain").render().getBytes(StandardCharsets.UTF_8);

            long plainWrites = time(i -> writeWithoutFolderFsync(vault, needsAction.resolve("EMAIL_plain" + i + ".md"), content));
            long plainMoves = time(i -> Files.move(needsAction.resolve("EMAIL_plain" + i + ".md"), claimed.resolve("EMAIL_plain" + i + ".md"),
                    StandardCopyOption.ATOMIC_MOVE));
            long durableWrites = time(i -> vault.write(needsAction, task("EMAIL_durable" + i)));
            long durableMoves = time(i -> vault.move(needsAction.resolve("EMAIL_durable" + i + ".md"), claimed));
            lines.add("- round %d, per task: write %.3f ms without the folder fsync, %.3f ms with it (+%.3f ms); move %.3f ms without, %.3f ms with both folders' fsync (+%.3f ms)"
                    .formatted(round, ms(plainWrites), ms(durableWrites), ms(durableWrites - plainWrites),
                            ms(plainMoves), ms(durableMoves), ms(durableMoves - plainMoves)));
        }
        lines.add("");
        lines.add("%,d tasks per round, ~700-byte task files, on the file system of java.io.tmpdir; a task of the burst intake takes about 3.3 ms (300 tasks/s) end to end."
                .formatted(TASKS));
        Bench.report("Folder fsync per task (DurableWriteBench)", lines);
    }

    private static TaskFile task(String id) {
        return TaskFile.create(id, "email_reply").with("channel", "imap").with("from", "Client <client@example.com>")
                .with("subject", "Order question").with("message_id", "<" + id + "@example.com>")
                .withSection(TaskFile.ORIGINAL, "Hello, can you tell me when my order ships?\n\nThanks\n".repeat(8));
    }

    /** The write as the vault made it before: content fsynced, renamed into place, the folder left to the kernel. */
    private static void writeWithoutFolderFsync(Vault vault, Path target, byte[] content) throws Exception {
        Path temp = vault.state().resolve("tmp").resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content));
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    private static long time(Step step) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < TASKS; i++) {
            step.run(i);
        }
        return (System.nanoTime() - start) / TASKS;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
