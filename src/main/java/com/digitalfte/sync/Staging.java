package com.digitalfte.sync;

import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.vault.Quarantine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What of the vault's changes may be committed: the allowed paths that changed, each read once and
 * passed by the secret guard; a file that holds a secret goes to quarantine instead and never
 * reaches a commit. Heartbeats travel on refs of their own ({@link Heartbeats}), never in the
 * vault's history, and a file whose change is not worth a commit (the Dashboard's clock) waits.
 */
final class Staging {

    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);
    private static final long MAX_SCANNED_BYTES = 5L * 1024 * 1024;
    static final Pattern HEARTBEAT = Pattern.compile("Updates/agents/[^/]+\\.json");

    private final VaultRepository repo;
    private final SecretGuard guard;
    private final Quarantine quarantine;
    private final SyncListener listener;
    private final CommitFilter filter;
    private final Set<String> tooLarge = ConcurrentHashMap.newKeySet();

    Staging(VaultRepository repo, SecretGuard guard, Quarantine quarantine, SyncListener listener, CommitFilter filter) {
        this.repo = repo;
        this.guard = guard;
        this.quarantine = quarantine;
        this.listener = listener;
        this.filter = filter;
    }

    /** The changes to commit, by repository path (a null content deletes the path). */
    Map<String, VaultRepository.Content> collect() throws GitAPIException, IOException {
        Set<String> changed = repo.changedVaultPaths();
        Map<String, VaultRepository.Content> changes = new LinkedHashMap<>();
        if (changed.isEmpty()) {
            return changes;
        }
        Map<String, ObjectId> committed = repo.blobsAt(repo.head(), changed);
        for (String path : changed) {
            String vaultPath = repo.vaultPath(path);
            boolean tracked = committed.containsKey(path);
            if (HEARTBEAT.matcher(vaultPath).matches()) {
                if (tracked) {
                    // from before heartbeats had refs of their own: out of the history, the file stays
                    changes.put(path, null);
                }
                continue;
            }
            if (!AllowedPaths.isAllowed(vaultPath)) {
                continue;
            }
            VaultRepository.Content content = tooLargeToScan(path, vaultPath) ? null : repo.read(path);
            if (content == null) {
                if (!Files.exists(repo.file(path)) && tracked) {
                    changes.put(path, null);
                }
                continue;
            }
            String text = new String(content.bytes(), StandardCharsets.UTF_8);
            SecretGuard.Finding finding = guard.scan(text);
            if (finding != null) {
                holdBack(path, vaultPath, finding);
                if (tracked) {
                    changes.put(path, null);
                }
                continue;
            }
            if (tracked && !filter.worthCommitting(vaultPath, text, new String(repo.bytes(committed.get(path)), StandardCharsets.UTF_8))) {
                continue;
            }
            changes.put(path, content);
        }
        return changes;
    }

    /** A file too large for a vault note and for the guard to read stays where it is, out of git. */
    private boolean tooLargeToScan(String path, String vaultPath) throws IOException {
        try {
            if (Files.size(repo.file(path)) <= MAX_SCANNED_BYTES) {
                return false;
            }
        } catch (NoSuchFileException gone) {
            return false;
        }
        if (tooLarge.add(vaultPath)) {
            LOG.warn("{} is over {} MB: it stays on this machine and is not synced", vaultPath, MAX_SCANNED_BYTES / (1024 * 1024));
        }
        return true;
    }

    private void holdBack(String path, String vaultPath, SecretGuard.Finding finding) throws IOException {
        String as;
        try {
            as = repo.vault().root().relativize(quarantine.holdBack(repo.file(path), vaultPath, finding.rule(), finding.line())).toString();
        } catch (NoSuchFileException movedOn) {
            return;
        }
        LOG.warn("{} holds a secret ({}) and is not synced; it is in {}: remove the secret and move it back", vaultPath, finding, as);
        listener.quarantined(vaultPath, finding, as);
    }
}
