package com.digitalfte.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Free space on the disk that holds the vault: every task write, every commit and the ledger need
 * some, and a full disk fails them one by one. Down under {@link #DOWN_BELOW_MB}, a warning under
 * {@link #WARN_BELOW_MB}.
 */
public final class DiskStatus {

    static final long DOWN_BELOW_MB = 100;
    static final long WARN_BELOW_MB = 1024;

    private final Path vault;

    public DiskStatus(Path vault) {
        this.vault = vault;
    }

    public Health now() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", vault.toString());
        try {
            FileStore store = Files.getFileStore(vault);
            long freeMb = store.getUsableSpace() / (1024 * 1024);
            long totalMb = store.getTotalSpace() / (1024 * 1024);
            details.put("free.mb", freeMb);
            details.put("total.mb", totalMb);
            String free = freeMb + " MB free of " + totalMb + " MB under " + vault;
            if (freeMb < DOWN_BELOW_MB) {
                return Health.down(free + ": tasks and commits fail soon; free some space", details);
            }
            if (freeMb < WARN_BELOW_MB) {
                details.put("warning", "less than " + WARN_BELOW_MB + " MB free");
                return Health.up(free + " (warning: less than " + WARN_BELOW_MB + " MB)", details);
            }
            return Health.up(free, details);
        } catch (IOException e) {
            return Health.down("cannot read the disk under " + vault + ": " + e.getMessage(), details);
        }
    }
}
