package com.digitalfte.sync;

import com.digitalfte.audit.JsonLines;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.RmCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.ContentMergeStrategy;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.revwalk.RevWalk;
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

    private final Git git;
    private final Repository repo;
    private final String prefix;
    private final String remote;
    private final String branch;
    private final PersonIdent identity;
    private final Path syncLog;
    private final ReentrantLock lock = new ReentrantLock();

    public VaultSync(Path vault, String remote, String branch, String agentName, Path syncLog) {
        this.remote = remote == null ? "" : remote;
        this.branch = branch;
        this.identity = new PersonIdent("DigitalFTE " + agentName, agentName + "@digitalfte.invalid");
        this.syncLog = syncLog;
        try {
            this.git = openOrCreate(vault, this.remote, branch);
            this.repo = git.getRepository();
            Path workTree = repo.getWorkTree().toPath().toRealPath();
            String rel = workTree.relativize(vault.toRealPath()).toString().replace(File.separatorChar, '/');
            this.prefix = rel.isEmpty() ? "" : rel + "/";
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("cannot open the vault's git repository at " + vault + ": " + e.getMessage(), e);
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

    /** Runs {@code work} under the git lock: nothing else touches the repository meanwhile. */
    public <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    public Git git() {
        return git;
    }

    /** The path inside the work tree of a vault-relative path. */
    public String repoPath(String vaultRelative) {
        return prefix + vaultRelative;
    }

    public SyncResult sync() {
        lock.lock();
        long start = System.nanoTime();
        int files = 0;
        int pulled = 0;
        int pushed = 0;
        SyncResult result;
        try {
            files = commitLocalChanges();
            if (remote.isEmpty()) {
                result = new SyncResult(files > 0 ? "committed" : "clean", files, 0, 0, millisSince(start), null);
            } else {
                String outcome = "up-to-date";
                for (int round = 1; ; round++) {
                    // the remote's configured refspec: an empty remote has no branch to name yet
                    git.fetch().setRemote(remote).call();
                    pulled += mergeRemote();
                    ObjectId head = repo.resolve("HEAD");
                    ObjectId theirs = repo.resolve(trackingRef());
                    int ahead = head == null ? 0 : count(head, theirs);
                    if (ahead == 0) {
                        break;
                    }
                    if (push()) {
                        pushed += ahead;
                        outcome = "pushed";
                        break;
                    }
                    if (round >= MAX_PUSH_ROUNDS) {
                        throw new IllegalStateException("the remote rejected the push " + round + " times in a row");
                    }
                    LOG.info("Push rejected (the remote moved on); fetching and trying again ({}/{})", round, MAX_PUSH_ROUNDS);
                }
                result = new SyncResult(pulled > 0 && pushed == 0 ? "pulled" : outcome, files, pulled, pushed, millisSince(start), null);
            }
        } catch (Exception e) {
            String message = Redact.urls(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            LOG.warn("Vault sync failed, nothing is lost and the next sync tries again: {}", message);
            result = new SyncResult("error", files, pulled, pushed, millisSince(start), message);
        } finally {
            lock.unlock();
        }
        record(result);
        return result;
    }

    private String trackingRef() {
        return "refs/remotes/" + remote + "/" + branch;
    }

    /** Stages what changed among the allowed paths, commits it; returns how many files went in. */
    int commitLocalChanges() throws GitAPIException {
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
        if (!toAdd.isEmpty()) {
            AddCommand add = git.add();
            toAdd.forEach(add::addFilepattern);
            add.call();
        }
        if (!toRemove.isEmpty()) {
            RmCommand rm = git.rm().setCached(true);
            toRemove.forEach(rm::addFilepattern);
            rm.call();
        }
        int staged = toAdd.size() + toRemove.size() + status.getAdded().size() + status.getChanged().size() + status.getRemoved().size();
        if (staged == 0) {
            return 0;
        }
        git.commit().setAuthor(identity).setCommitter(identity).setSign(false)
                .setMessage(identity.getName() + ": " + staged + " file(s)")
                .call();
        return staged;
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

    /** True when the remote took the push; false when it was rejected because it moved on. */
    private boolean push() throws GitAPIException {
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
                        return false;
                    }
                    default -> throw new IllegalStateException("push to " + remote + " failed: " + u.getStatus()
                            + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"));
                }
            }
        }
        return true;
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
        line.put("agent", identity.getEmailAddress().replace("@digitalfte.invalid", ""));
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
