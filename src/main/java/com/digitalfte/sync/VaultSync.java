package com.digitalfte.sync;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.vault.Vault;
import com.digitalfte.vault.VaultInvariant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.RmCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.ContentMergeStrategy;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's git history and its exchange with the remote, through JGit. One sync at a time
 * (the process's git lock): stage the allowed paths that changed, commit, fetch, merge the
 * remote's commits, push; a rejected push goes round again, a bounded number of times.
 *
 * <p>The vault may be its own repository or a folder inside a larger work tree; with no
 * repository at all, one is created so the vault still has a history.
 */
public final class VaultSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VaultSync.class);
    private static final int MAX_PUSH_ROUNDS = 5;
    private static final int MAX_CLAIM_ATTEMPTS = 8;
    private static final long MAX_SCANNED_BYTES = 5L * 1024 * 1024;

    private enum Pushed { OK, REJECTED, REFUSED }

    private record Exchanged(int files, int pulled, int pushed) {
    }

    private final Vault vault;
    private final Git git;
    private final Repository repo;
    private final String prefix;
    private final String remote;
    private final String branch;
    private final String agentName;
    private final PersonIdent identity;
    private final Path syncLog;
    private final SecretGuard guard;
    private final SyncListener listener;
    private final VaultInvariant invariant;
    private final ReentrantLock lock = new ReentrantLock();
    private String lastRefusal;
    private final Set<String> tooLarge = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set when the remote moved on without us: the next claim fetches before it tries. */
    private boolean behind = true;

    /** A sync with no configured secrets to look for and nobody listening: for tools and tests. */
    public VaultSync(Path vault, String remote, String branch, String agentName, Path syncLog) {
        this(new Vault(vault), remote, branch, agentName, syncLog, new SecretGuard(List.of()), SyncListener.NONE);
    }

    public VaultSync(Vault vault, String remote, String branch, String agentName, Path syncLog,
                     SecretGuard guard, SyncListener listener) {
        this.vault = vault;
        this.remote = remote == null ? "" : remote;
        this.branch = branch;
        this.agentName = agentName;
        this.identity = new PersonIdent("DigitalFTE " + agentName, agentName + "@digitalfte.invalid");
        this.syncLog = syncLog;
        this.guard = guard;
        this.listener = listener;
        this.invariant = new VaultInvariant(vault);
        try {
            this.git = openOrCreate(vault.root(), this.remote, branch);
            this.repo = git.getRepository();
            clearStaleLocks(repo.getDirectory().toPath());
            // JGit would otherwise start a garbage collection in the background after commits and
            // fetches, racing the next sync for the pack files; the vault is small, git gc can run by hand
            repo.getConfig().setInt("gc", null, "auto", 0);
            repo.getConfig().setBoolean("receive", null, "autogc", false);
            Path workTree = repo.getWorkTree().toPath().toRealPath();
            String rel = workTree.relativize(vault.root().toRealPath()).toString().replace(File.separatorChar, '/');
            this.prefix = rel.isEmpty() ? "" : rel + "/";
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("cannot open the vault's git repository at " + vault.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A process killed in the middle of a commit leaves git's lock files behind ({@code index.lock},
     * a ref's {@code .lock}), and every later commit would fail on them. At start-up nothing of this
     * agent holds them, so they go.
     */
    static void clearStaleLocks(Path gitDir) throws IOException {
        List<Path> locks;
        try (var files = java.nio.file.Files.walk(gitDir, 6)) {
            locks = files.filter(p -> p.getFileName().toString().endsWith(".lock"))
                    .filter(p -> !p.startsWith(gitDir.resolve("objects")))
                    .toList();
        }
        for (Path lock : locks) {
            java.nio.file.Files.deleteIfExists(lock);
            LOG.warn("Removed the git lock file {} left by a process that stopped while writing", gitDir.relativize(lock));
        }
    }

    /**
     * The vault's own repository when it has one. Inside a larger work tree with a remote to share
     * through, that larger repository (the original layout). Otherwise the vault gets a history of
     * its own: {@code .git} in the vault, or, when the vault sits in somebody else's work tree (a
     * source checkout), a repository in {@code .state/history.git} that leaves the outer one alone.
     */
    static Git openOrCreate(Path vault, String remote, String branch) throws IOException, GitAPIException {
        File dir = vault.toFile();
        File own = new File(dir, ".git");
        File history = vault.resolve(".state/history.git").toFile();
        if (own.exists()) {
            return Git.open(dir);
        }
        if (history.isDirectory()) {
            return new Git(new FileRepositoryBuilder().setGitDir(history).setWorkTree(dir).setMustExist(true).build());
        }
        FileRepositoryBuilder enclosing = new FileRepositoryBuilder().findGitDir(dir);
        if (enclosing.getGitDir() == null) {
            LOG.info("The vault {} has no git repository; creating one for its history", vault);
            return Git.init().setDirectory(dir).setInitialBranch(branch).call();
        }
        if (!remote.isEmpty()) {
            return new Git(enclosing.setMustExist(true).build());
        }
        LOG.info("The vault {} lies inside another git work tree and has no remote; its history is kept in {}", vault, history);
        Repository created = new FileRepositoryBuilder().setGitDir(history).setWorkTree(dir).build();
        created.create();
        // JGit leaves a ".git" link file in the work tree; the outer repository would then see a nested one
        java.nio.file.Files.deleteIfExists(own.toPath());
        created.getRefDatabase().newUpdate("HEAD", false).link("refs/heads/" + branch);
        return new Git(created);
    }

    public SyncResult sync() {
        lock.lock();
        long start = System.nanoTime();
        SyncResult result;
        int[] committed = new int[1];
        try {
            Exchanged x = exchange(committed);
            String outcome = remote.isEmpty() ? (x.files() > 0 ? "committed" : "clean")
                    : x.pushed() > 0 ? "pushed" : x.pulled() > 0 ? "pulled" : "up-to-date";
            result = new SyncResult(outcome, x.files(), x.pulled(), x.pushed(), millisSince(start), null);
        } catch (Exception e) {
            String message = Redact.urls(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            LOG.warn("Vault sync failed, nothing is lost and the next sync tries again: {}", message);
            result = new SyncResult("error", committed[0], 0, 0, millisSince(start), message);
        } finally {
            lock.unlock();
        }
        record(result);
        return result;
    }

    /** Commit what changed here, then (with a remote) fetch, merge, repair, push; under the lock. */
    private Exchanged exchange(int[] committed) throws IOException, GitAPIException {
        int files = commitLocalChanges();
        committed[0] = files;
        if (remote.isEmpty()) {
            return new Exchanged(files, 0, 0);
        }
        int pulled = 0;
        int pushed = 0;
        for (int round = 1; ; round++) {
            fetch();
            int incoming = mergeRemote();
            pulled += incoming;
            if (incoming > 0) {
                files += repairInvariant();
            }
            behind = false;
            int ahead = ahead();
            if (ahead == 0) {
                break;
            }
            Pushed outcome = push();
            if (outcome == Pushed.OK) {
                pushed += ahead;
                break;
            }
            behind = true;
            if (outcome == Pushed.REFUSED) {
                throw new IllegalStateException("the remote refused the push: " + lastRefusal);
            }
            if (round >= MAX_PUSH_ROUNDS) {
                throw new IllegalStateException("the remote rejected the push " + round + " times in a row (it keeps moving on)");
            }
            LOG.debug("Push rejected (the remote moved on); fetching and trying again ({}/{})", round, MAX_PUSH_ROUNDS);
        }
        return new Exchanged(files, pulled, pushed);
    }

    private void fetch() throws GitAPIException {
        // the remote's configured refspec: an empty remote has no branch to name yet
        git.fetch().setRemote(remote).call();
    }

    private int ahead() throws IOException {
        ObjectId head = repo.resolve("HEAD");
        return head == null ? 0 : count(head, repo.resolve(trackingRef()));
    }

    /**
     * Claims a task by compare-and-swap on the remote: the move to {@code targetDir} is committed
     * alone, on top of this side's work merged with the remote, and pushed; the claim holds only
     * when the push is accepted. A rejected push undoes the
     * claim commit, fast-forwards to the remote, and tries again only if the task is still there.
     * The claim never goes through a merge. With no remote, or a remote out of reach, the local
     * rename is the claim (the commit goes out with the next sync).
     */
    public Optional<Path> claim(Path file, Path targetDir) throws IOException {
        lock.lock();
        try {
            for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
                if (!Files.exists(file)) {
                    return Optional.empty();
                }
                if (remote.isEmpty()) {
                    return moveQuietly(file, targetDir);
                }
                try {
                    // this side's pending commits travel with the claim's push; while the last push went
                    // through, the last fetch is trusted (a stale view only costs a rejected push)
                    commitLocalChanges();
                    if (behind) {
                        fetch();
                        if (mergeRemote() > 0) {
                            repairInvariant();
                        }
                        behind = false;
                    }
                } catch (TransportException | InvalidRemoteException offline) {
                    LOG.warn("The remote is out of reach; {} is claimed on this machine only: {}", file.getFileName(), Redact.urls(offline.getMessage()));
                    return moveQuietly(file, targetDir);
                } catch (GitAPIException | RuntimeException notNow) {
                    LOG.warn("Cannot settle the claim of {} now ({}); it stays in place and is tried again", file.getFileName(), Redact.urls(notNow.getMessage()));
                    return Optional.empty();
                }
                Optional<Path> moved = moveQuietly(file, targetDir);
                if (moved.isEmpty()) {
                    return moved;
                }
                Path target = moved.get();
                Pushed outcome;
                try {
                    git.rm().setCached(true).addFilepattern(repoPath(file)).call();
                    git.add().addFilepattern(repoPath(target)).call();
                    git.commit().setAuthor(identity).setCommitter(identity).setSign(false)
                            .setMessage(identity.getName() + ": claim " + file.getFileName()).call();
                } catch (GitAPIException | RuntimeException e) {
                    undoMove(file, target, false);
                    LOG.warn("Cannot commit the claim of {} now ({}); it stays in place and is tried again", file.getFileName(), e.getMessage());
                    return Optional.empty();
                }
                try {
                    outcome = push();
                } catch (TransportException | InvalidRemoteException offline) {
                    LOG.warn("The remote went out of reach; {} is claimed on this machine only", file.getFileName());
                    return moved;
                } catch (GitAPIException | RuntimeException e) {
                    outcome = Pushed.REFUSED;
                    lastRefusal = e.getMessage();
                }
                if (outcome == Pushed.OK) {
                    return moved;
                }
                // undo the claim commit only; the pending work before it is merged with the remote next round
                behind = true;
                undoMove(file, target, true);
                if (outcome == Pushed.REFUSED) {
                    LOG.warn("The remote refused the claim of {} ({}); it stays in place", file.getFileName(), lastRefusal);
                    return Optional.empty();
                }
                LOG.debug("Claim of {} rejected (the remote moved on), attempt {}", file.getFileName(), attempt);
                backOff(attempt);
            }
            LOG.info("Claim of {} lost the race {} times in a row; it stays in place and is tried again", file.getFileName(), MAX_CLAIM_ATTEMPTS);
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Puts a claimed file back where it was, with the claim commit (when made) and the index undone. */
    private void undoMove(Path file, Path target, boolean committed) throws IOException {
        try {
            if (committed) {
                git.reset().setRef("HEAD~1").call();
            } else {
                git.reset().addPath(repoPath(file)).addPath(repoPath(target)).call();
            }
        } catch (GitAPIException | RuntimeException e) {
            LOG.warn("Could not undo the claim commit of {}: {}", file.getFileName(), e.getMessage());
        }
        Files.move(target, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * After a lost race, step aside for a random while (longer each time) with the lock released,
     * so that agents sharing a queue take turns instead of spinning against the same remote.
     */
    private void backOff(int attempt) {
        long millis = java.util.concurrent.ThreadLocalRandom.current().nextLong(10L << Math.min(attempt, 5));
        lock.unlock();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.lock();
        }
    }

    private static Optional<Path> moveQuietly(Path file, Path targetDir) throws IOException {
        Files.createDirectories(targetDir);
        try {
            return Optional.of(Files.move(file, targetDir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    private String repoPath(Path file) {
        return prefix + vault.root().relativize(file).toString().replace(File.separatorChar, '/');
    }

    private int repairInvariant() throws IOException, GitAPIException {
        ObjectId theirs = repo.resolve(trackingRef());
        List<VaultInvariant.Repair> repairs = invariant.repair(path -> onRemote(theirs, path));
        for (VaultInvariant.Repair r : repairs) {
            LOG.warn("Task {} was in {} places after the pull; kept {}, removed {}", r.id(), r.removed().size() + 1, r.kept(), r.removed());
            listener.repaired(r);
        }
        return repairs.isEmpty() ? 0 : commitLocalChanges();
    }

    private boolean onRemote(ObjectId remoteCommit, String vaultPath) {
        if (remoteCommit == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, prefix + vaultPath, walk.parseCommit(remoteCommit).getTree())) {
            return tw != null;
        } catch (IOException e) {
            return false;
        }
    }

    private String trackingRef() {
        return "refs/remotes/" + remote + "/" + branch;
    }

    /**
     * Stages what changed among the allowed paths, after the secret guard read each file, and
     * commits it; returns how many files went in. A file with a secret is moved to
     * {@code .state/quarantine/} instead and never reaches a commit.
     */
    int commitLocalChanges() throws GitAPIException, IOException {
        StatusCommand statusCommand = git.status();
        if (!prefix.isEmpty()) {
            statusCommand.addPath(prefix.substring(0, prefix.length() - 1));
        }
        Status status = statusCommand.call();
        Set<String> toAdd = new TreeSet<>();
        Set<String> toRemove = new TreeSet<>();
        for (String p : status.getUntracked()) {
            addIfAllowed(toAdd, p);
        }
        for (String p : status.getModified()) {
            addIfAllowed(toAdd, p);
        }
        for (String p : status.getMissing()) {
            if (p.startsWith(prefix)) {
                toRemove.add(p);
            }
        }
        Set<String> stagedElsewhere = new TreeSet<>(status.getAdded());
        stagedElsewhere.addAll(status.getChanged());
        for (String p : stagedElsewhere) {
            if (p.startsWith(prefix) && !guardPasses(p)) {
                git.reset().addPath(p).call();
                if (!status.getAdded().contains(p)) {
                    toRemove.add(p);
                }
            }
        }
        for (String p : List.copyOf(toAdd)) {
            if (!guardPasses(p)) {
                toAdd.remove(p);
                if (!status.getUntracked().contains(p)) {
                    toRemove.add(p);
                }
            }
        }
        // a file can move on between the status and the add (the agent is busy): stage what is still
        // there, the rest is seen by the next sync
        Path workTree = repo.getWorkTree().toPath();
        toAdd.removeIf(p -> !Files.isRegularFile(workTree.resolve(p)));
        if (!toAdd.isEmpty()) {
            try {
                AddCommand add = git.add();
                toAdd.forEach(add::addFilepattern);
                add.call();
            } catch (org.eclipse.jgit.api.errors.JGitInternalException raced) {
                // one by one, leaving out each file that moves on in the meantime
                for (String p : toAdd) {
                    try {
                        git.add().addFilepattern(p).call();
                    } catch (org.eclipse.jgit.api.errors.JGitInternalException movedOn) {
                        LOG.debug("{} moved on while it was being staged; the next sync takes it", p);
                    }
                }
            }
        }
        if (!toRemove.isEmpty()) {
            RmCommand rm = git.rm().setCached(true);
            toRemove.forEach(rm::addFilepattern);
            rm.call();
        }
        Status staged = statusCommand.call();
        int changes = staged.getAdded().size() + staged.getChanged().size() + staged.getRemoved().size();
        if (changes == 0) {
            return 0;
        }
        git.commit().setAuthor(identity).setCommitter(identity).setSign(false)
                .setMessage(identity.getName() + ": " + changes + " file(s)")
                .call();
        return changes;
    }

    /** True when the file may be committed; otherwise it is moved to quarantine and reported. */
    private boolean guardPasses(String repoPath) throws IOException {
        Path file = repo.getWorkTree().toPath().resolve(repoPath);
        if (!Files.isRegularFile(file)) {
            return true;
        }
        String vaultPath = repoPath.substring(prefix.length());
        if (Files.size(file) > MAX_SCANNED_BYTES) {
            // too large for a vault note and for the guard to read: it stays where it is, out of git
            if (tooLarge.add(vaultPath)) {
                LOG.warn("{} is over {} MB: it stays on this machine and is not synced", vaultPath, MAX_SCANNED_BYTES / (1024 * 1024));
            }
            return false;
        }
        SecretGuard.Finding finding = guard.scan(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        if (finding == null) {
            return true;
        }
        Path quarantine = vault.state().resolve("quarantine");
        Files.createDirectories(quarantine);
        String name = java.time.Instant.now().toString().replace(':', '-') + "_" + vaultPath.replace('/', '_');
        Path target = Files.move(file, quarantine.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        String as = vault.root().relativize(target).toString();
        LOG.warn("{} holds a secret ({}) and was not synced; it is in {}", vaultPath, finding, as);
        listener.quarantined(vaultPath, finding, as);
        return false;
    }

    private void addIfAllowed(Set<String> toAdd, String repoPath) {
        if (repoPath.startsWith(prefix) && AllowedPaths.isAllowed(repoPath.substring(prefix.length()))) {
            toAdd.add(repoPath);
        }
    }

    /** Brings in the remote's commits; returns how many there were. */
    private int mergeRemote() throws IOException, GitAPIException {
        ObjectId theirs = repo.resolve(trackingRef());
        if (theirs == null) {
            return 0;
        }
        ObjectId ours = repo.resolve("HEAD");
        if (ours == null) {
            // nothing committed here yet: start from the remote's history
            git.reset().setMode(ResetCommand.ResetType.MIXED).setRef(theirs.name()).call();
            git.checkout().setAllPaths(true).call();
            return count(theirs, null);
        }
        int incoming = count(theirs, ours);
        if (incoming == 0) {
            return 0;
        }
        MergeResult merge = git.merge().include(theirs)
                .setStrategy(MergeStrategy.RECURSIVE)
                .setContentMergeStrategy(ContentMergeStrategy.OURS)
                .setFastForward(MergeCommand.FastForwardMode.FF)
                .setCommit(false)
                .call();
        switch (merge.getMergeStatus()) {
            case FAST_FORWARD, ALREADY_UP_TO_DATE, MERGED -> {
                // done
            }
            case MERGED_NOT_COMMITTED -> commitMerge("merge " + remote + "/" + branch);
            case CONFLICTING -> {
                resolveKeepingFiles(merge.getConflicts().keySet());
                commitMerge("merge " + remote + "/" + branch + " (" + merge.getConflicts().size() + " conflict(s) kept as files)");
            }
            default -> throw new IllegalStateException("merge of " + remote + "/" + branch + " stopped: " + merge.getMergeStatus()
                    + (merge.getFailingPaths() == null ? "" : " at " + merge.getFailingPaths().keySet()));
        }
        return incoming;
    }

    /** A conflict never loses a file: whatever the work tree holds is kept, a deletion stays deleted. */
    private void resolveKeepingFiles(Set<String> paths) throws GitAPIException {
        for (String p : paths) {
            if (new File(repo.getWorkTree(), p).exists()) {
                git.add().addFilepattern(p).call();
            } else {
                git.rm().setCached(true).addFilepattern(p).call();
            }
            LOG.warn("Merge conflict on {} resolved by keeping this side's file", p);
        }
    }

    private void commitMerge(String message) throws GitAPIException {
        git.commit().setAuthor(identity).setCommitter(identity).setSign(false).setMessage(identity.getName() + ": " + message).call();
    }

    /** OK when the remote took the push, REJECTED when it moved on meanwhile, REFUSED for any other refusal. */
    private Pushed push() throws GitAPIException {
        Iterable<PushResult> results = git.push().setRemote(remote)
                .setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch))
                .call();
        for (PushResult r : results) {
            for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                switch (u.getStatus()) {
                    case OK, UP_TO_DATE -> {
                        // accepted
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                        return Pushed.REJECTED;
                    }
                    default -> {
                        lastRefusal = u.getStatus() + (u.getMessage() == null ? "" : " (" + Redact.urls(u.getMessage()) + ")");
                        return Pushed.REFUSED;
                    }
                }
            }
        }
        return Pushed.OK;
    }

    private int count(ObjectId include, ObjectId exclude) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(include));
            if (exclude != null) {
                walk.markUninteresting(walk.parseCommit(exclude));
            }
            int n = 0;
            for (var ignored : walk) {
                n++;
            }
            return n;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void record(SyncResult r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("agent", agentName);
        line.put("result", r.result());
        line.put("pulled", r.pulled());
        line.put("pushed", r.pushed());
        line.put("files", r.files());
        line.put("ms", r.millis());
        if (r.error() != null) {
            line.put("error", r.error());
        }
        try {
            JsonLines.append(syncLog, line);
        } catch (RuntimeException e) {
            LOG.warn("Cannot write {}: {}", syncLog, e.getMessage());
        }
        if (r.ok() && (r.files() > 0 || r.pulled() > 0 || r.pushed() > 0)) {
            LOG.info("Vault sync: {} file(s) committed, {} commit(s) pulled, {} pushed in {} ms", r.files(), r.pulled(), r.pushed(), r.millis());
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
