package com.digitalfte.health;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vault's queues: how many tasks wait in each folder. Tasks in {@code Failed/} and files held
 * back for a secret wait for the owner: warnings in the details, not a failure of the agent, which
 * goes on with everything else. Down only when the vault's folders cannot be written.
 */
public final class QueueStatus {

    private final Vault vault;

    public QueueStatus(Vault vault) {
        this.vault = vault;
    }

    public Health now() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (Folder f : Folder.values()) {
            details.put(f.dirName(), f == Folder.IN_PROGRESS ? claims() : vault.count(vault.folder(f)));
        }
        // a folder not there yet is made when the agent starts; one that is there must take the agent's moves
        for (Path dir : List.of(vault.root(), vault.folder(Folder.NEEDS_ACTION), vault.folder(Folder.APPROVED))) {
            if (Files.exists(dir) && !Files.isWritable(dir)) {
                return Health.down(dir + " cannot be written: the agent cannot move tasks", details);
            }
        }
        List<String> warnings = new ArrayList<>();
        int failed = (int) details.get(Folder.FAILED.dirName());
        if (failed > 0) {
            warnings.add(failed + " task(s) in Failed/ wait for you: read each one's ## Error, then move it back to Approved/ or delete it");
        }
        long held = new Quarantine(vault.root()).entries().stream().filter(e -> Quarantine.HELD.equals(e.kind())).count();
        if (held > 0) {
            warnings.add(held + " file(s) held back in .state/quarantine/ for a secret: the Dashboard says which");
        }
        if (!warnings.isEmpty()) {
            details.put("warning", String.join("; ", warnings));
        }
        String counts = details.get(Folder.NEEDS_ACTION.dirName()) + " new, " + details.get(Folder.IN_PROGRESS.dirName()) + " in progress, "
                + details.get(Folder.PENDING_APPROVAL.dirName()) + " pending approval, " + details.get(Folder.APPROVED.dirName()) + " approved, "
                + failed + " failed";
        return Health.up(warnings.isEmpty() ? counts : counts + " (warning: " + String.join("; ", warnings) + ")", details);
    }

    private int claims() {
        int n = 0;
        try (DirectoryStream<Path> agents = Files.newDirectoryStream(vault.folder(Folder.IN_PROGRESS), Files::isDirectory)) {
            for (Path agent : agents) {
                n += vault.count(agent);
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }
}
