package com.digitalfte.sync;

import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims that agents on several machines agree on: a compare-and-swap on the git remote. The move
 * is committed alone, on top of this side's work brought up to date with the remote, and pushed;
 * the claim holds only when the push is accepted. A rejected push undoes the claim commit; the next
 * try fast-forwards to the remote first, and is made only if the task is still there. A claim never goes
 * through a merge. With the remote out of reach the local rename is the claim (its commit goes out
 * with the next sync); a remote that refuses us takes no claim at all.
 */
public final class GitClaimService implements ClaimService {

    private static final Logger LOG = LoggerFactory.getLogger(GitClaimService.class);

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
    public List<Path> claimAll(List<Path> files) throws IOException {
        return moveAll(files, vault.inProgress(agentName));
    }

    @Override
    public Optional<Path> transfer(Path file, Path dir) throws IOException {
        return moveAll(List.of(file), dir).stream().findFirst();
    }

    /**
     * One attempt, under the lock: the files still there move to {@code dir} in one commit, pushed
     * alone. A race lost (the remote moved on) is undone and answered empty: the next poll offers the
     * files again, after a fetch, and only those still there; agents that share a queue reach first for
     * their own share of it, so races are rare.
     */
    private List<Path> moveAll(List<Path> files, Path dir) throws IOException {
        repo.lock().lock();
        long start = System.nanoTime();
        try {
            if (!sync.hasRemote()) {
                return moveHere(files, dir);
            }
            if (!sync.mayAskRemote() || files.stream().noneMatch(Files::exists)) {
                return List.of();
            }
            try {
                sync.catchUp();
            } catch (RemoteException e) {
                if (e instanceof RemoteException.Refused refused) {
                    sync.refused(refused);
                    return List.of();
                }
                sync.unreachable((RemoteException.Unreachable) e);
                LOG.info("The remote is out of reach; {} task(s) claimed on this machine only", files.size());
                return claimHere(files, dir);
            } catch (GitAPIException | IOException | RuntimeException notNow) {
                LOG.warn("Cannot settle the claim of {} task(s) now ({}); they stay in place and are tried again", files.size(), notNow.getMessage());
                return List.of();
            }
            ObjectId before = repo.head();
            Map<Path, Path> moved = new LinkedHashMap<>();
            for (Path f : files) {
                move(f, dir).ifPresent(target -> moved.put(f, target));
            }
            if (moved.isEmpty()) {
                return List.of();
            }
            ObjectId claimCommit;
            try {
                claimCommit = commitMoves(moved);
            } catch (IOException | RuntimeException e) {
                putBack(moved);
                LOG.warn("Cannot commit the claim of {} task(s) now ({}); they stay in place and are tried again", moved.size(), e.getMessage());
                return List.of();
            }
            VaultSync.Pushed outcome;
            try {
                outcome = sync.pushBranch();
            } catch (RemoteException e) {
                if (e instanceof RemoteException.Refused refused) {
                    undo(moved, claimCommit, before);
                    sync.refused(refused);
                    return List.of();
                }
                sync.unreachable((RemoteException.Unreachable) e);
                LOG.info("The remote went out of reach; {} task(s) claimed on this machine only", moved.size());
                return List.copyOf(moved.values());
            }
            if (outcome == VaultSync.Pushed.OK) {
                sync.claimed(moved.size(), true, start);
                return List.copyOf(moved.values());
            }
            // undo the claim commit only; the pending work before it is merged with the remote at the next try
            undo(moved, claimCommit, before);
            sync.claimed(moved.size(), false, start);
            LOG.debug("Claim of {} task(s) rejected (the remote moved on); the next poll tries again with those still there", moved.size());
            return List.of();
        } finally {
            repo.lock().unlock();
        }
    }

    private List<Path> moveHere(List<Path> files, Path dir) throws IOException {
        List<Path> moved = new ArrayList<>();
        for (Path f : files) {
            move(f, dir).ifPresent(moved::add);
        }
        return moved;
    }

    /** With the remote out of reach: the renames, committed here; the next sync pushes them. */
    private List<Path> claimHere(List<Path> files, Path dir) throws IOException {
        Map<Path, Path> moved = new LinkedHashMap<>();
        for (Path f : files) {
            move(f, dir).ifPresent(target -> moved.put(f, target));
        }
        if (!moved.isEmpty()) {
            try {
                commitMoves(moved);
            } catch (IOException | RuntimeException e) {
                LOG.debug("The claim of {} task(s) is committed with the next sync: {}", moved.size(), e.getMessage());
            }
        }
        return List.copyOf(moved.values());
    }

    /** The claim's own commit: each file gone from where it was and present where it is now, nothing else. */
    private ObjectId commitMoves(Map<Path, Path> moved) throws IOException {
        Map<String, VaultRepository.Content> changes = new LinkedHashMap<>();
        moved.forEach((from, to) -> changes.put(repo.repoPath(from), null));
        for (Path to : moved.values()) {
            changes.put(repo.repoPath(to), repo.read(repo.repoPath(to)));
        }
        String what = moved.size() == 1 ? moved.keySet().iterator().next().getFileName().toString() : moved.size() + " tasks";
        return repo.commit(changes, "claim " + what);
    }

    /** Puts claimed files back where they were, with the claim commit and the index undone. */
    private void undo(Map<Path, Path> moved, ObjectId claimCommit, ObjectId before) throws IOException {
        try {
            if (claimCommit != null) {
                List<String> paths = new ArrayList<>();
                moved.forEach((from, to) -> {
                    paths.add(repo.repoPath(from));
                    paths.add(repo.repoPath(to));
                });
                repo.resetHead(claimCommit, before, paths);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not undo the claim commit of {} task(s): {}", moved.size(), e.getMessage());
        }
        sync.markBehind();
        putBack(moved);
    }

    private void putBack(Map<Path, Path> moved) throws IOException {
        for (Map.Entry<Path, Path> m : moved.entrySet()) {
            vault.move(m.getValue(), m.getKey().getParent());
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
