package com.digitalfte.sync;

import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims that agents on several machines agree on: a compare-and-swap on the git remote. The move
 * is committed alone, on top of this side's work brought up to date with the remote, and pushed;
 * the claim holds only when the push is accepted. A rejected push undoes the claim commit,
 * fast-forwards to the remote, and tries again only if the task is still there. A claim never goes
 * through a merge. With the remote out of reach the local rename is the claim (its commit goes out
 * with the next sync); a remote that refuses us takes no claim at all.
 */
public final class GitClaimService implements ClaimService {

    private static final Logger LOG = LoggerFactory.getLogger(GitClaimService.class);
    private static final int MAX_CLAIM_ATTEMPTS = 8;

    private final Vault vault;
    private final VaultSync sync;
    private final VaultRepository repo;
    private final String agentName;

    public GitClaimService(Vault vault, VaultSync sync, String agentName) {
        this.vault = vault;
        this.sync = sync;
        this.repo = sync.repository();
        this.agentName = agentName;
    }

    @Override
    public Optional<Path> claim(Path file) throws IOException {
        return transfer(file, vault.inProgress(agentName));
    }

    @Override
    public Optional<Path> transfer(Path file, Path dir) throws IOException {
        repo.lock().lock();
        try {
            for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
                if (!Files.exists(file)) {
                    return Optional.empty();
                }
                if (!sync.hasRemote()) {
                    return move(file, dir);
                }
                if (!sync.mayAskRemote()) {
                    return Optional.empty();
                }
                try {
                    sync.catchUp();
                } catch (RemoteException e) {
                    if (e instanceof RemoteException.Refused refused) {
                        sync.refused(refused);
                        return Optional.empty();
                    }
                    sync.unreachable((RemoteException.Unreachable) e);
                    LOG.info("The remote is out of reach; {} is claimed on this machine only", file.getFileName());
                    return claimHere(file, dir);
                } catch (GitAPIException | IOException | RuntimeException notNow) {
                    LOG.warn("Cannot settle the claim of {} now ({}); it stays in place and is tried again", file.getFileName(), notNow.getMessage());
                    return Optional.empty();
                }
                ObjectId before = repo.head();
                Optional<Path> moved = move(file, dir);
                if (moved.isEmpty()) {
                    return moved;
                }
                Path target = moved.get();
                ObjectId claimCommit;
                try {
                    claimCommit = commitMove(file, target);
                } catch (IOException | RuntimeException e) {
                    vault.move(target, file.getParent());
                    LOG.warn("Cannot commit the claim of {} now ({}); it stays in place and is tried again", file.getFileName(), e.getMessage());
                    return Optional.empty();
                }
                VaultSync.Pushed outcome;
                try {
                    outcome = sync.pushBranch();
                } catch (RemoteException e) {
                    if (e instanceof RemoteException.Refused refused) {
                        undo(file, target, claimCommit, before);
                        sync.refused(refused);
                        return Optional.empty();
                    }
                    sync.unreachable((RemoteException.Unreachable) e);
                    LOG.info("The remote went out of reach; {} is claimed on this machine only", file.getFileName());
                    return moved;
                }
                if (outcome == VaultSync.Pushed.OK) {
                    return moved;
                }
                // undo the claim commit only; the pending work before it is merged with the remote next round
                undo(file, target, claimCommit, before);
                LOG.debug("Claim of {} rejected (the remote moved on), attempt {}", file.getFileName(), attempt);
                backOff(attempt);
            }
            LOG.info("Claim of {} lost the race {} times in a row; it stays in place and is tried again", file.getFileName(), MAX_CLAIM_ATTEMPTS);
            return Optional.empty();
        } finally {
            repo.lock().unlock();
        }
    }

    /** With the remote out of reach: the rename, committed here; the next sync pushes it. */
    private Optional<Path> claimHere(Path file, Path dir) throws IOException {
        Optional<Path> moved = move(file, dir);
        if (moved.isPresent()) {
            try {
                commitMove(file, moved.get());
            } catch (IOException | RuntimeException e) {
                LOG.debug("The claim of {} is committed with the next sync: {}", file.getFileName(), e.getMessage());
            }
        }
        return moved;
    }

    /** The claim's own commit: the file gone from where it was, present where it is now, nothing else. */
    private ObjectId commitMove(Path from, Path to) throws IOException {
        Map<String, VaultRepository.Content> changes = new LinkedHashMap<>();
        changes.put(repo.repoPath(from), null);
        changes.put(repo.repoPath(to), repo.read(repo.repoPath(to)));
        return repo.commit(changes, "claim " + from.getFileName());
    }

    /** Puts a claimed file back where it was, with the claim commit and the index undone. */
    private void undo(Path file, Path target, ObjectId claimCommit, ObjectId before) throws IOException {
        try {
            if (claimCommit != null) {
                repo.resetHead(claimCommit, before, List.of(repo.repoPath(file), repo.repoPath(target)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not undo the claim commit of {}: {}", file.getFileName(), e.getMessage());
        }
        sync.markBehind();
        vault.move(target, file.getParent());
    }

    /**
     * After a lost race, step aside for a random while (longer each time) with the lock released,
     * so that agents sharing a queue take turns instead of spinning against the same remote.
     */
    private void backOff(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(10L << Math.min(attempt, 5));
        repo.lock().unlock();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            repo.lock().lock();
        }
    }

    private Optional<Path> move(Path file, Path dir) throws IOException {
        try {
            return Optional.of(vault.move(file, dir));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }
}
