package com.digitalfte.sync;

import com.digitalfte.vault.Vault;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.NotTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The git repository that holds the vault's history, as the agent may touch it: vault paths only.
 * The vault may be a repository of its own or a folder of the owner's larger work tree (the
 * original layout); either way the agent commits, checks out and resets vault paths alone. Its
 * commits are built through an index of their own, and the owner's index changes only at the vault
 * paths committed, so whatever the owner staged elsewhere stays staged and uncommitted.
 *
 * <p>One lock for everything that changes the repository in this process: a sync and a claim never
 * interleave.
 */
public final class VaultRepository implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VaultRepository.class);
    private static final Duration LOCK_MIN_AGE = StaleGitLocks.DEFAULT_MIN_AGE;

    /** A vault path's new content as read from the work tree, with the file's time when it was read. */
    public record Content(byte[] bytes, Instant modified) {
    }

    private final Vault vault;
    private final Git git;
    private final Repository repo;
    private final Path workTree;
    private final String prefix;
    private final String branch;
    private final PersonIdent identity;
    private final ReentrantLock lock = new ReentrantLock();

    private VaultRepository(Vault vault, Git git, String branch, String agentName) throws IOException {
        this.vault = vault;
        this.git = git;
        this.repo = git.getRepository();
        this.branch = branch;
        this.identity = new PersonIdent("DigitalFTE " + agentName, agentName + "@digitalfte.invalid");
        this.workTree = repo.getWorkTree().toPath().toRealPath();
        String rel = workTree.relativize(vault.root().toRealPath()).toString().replace(File.separatorChar, '/');
        this.prefix = rel.isEmpty() ? "" : rel + "/";
    }

    /**
     * The vault's own repository when it has one. Inside a larger work tree with a remote to share
     * through, that larger repository (the original layout). Otherwise the vault gets a history of
     * its own: {@code .git} in the vault, or, when the vault sits in somebody else's work tree (a
     * source checkout), a repository in {@code .state/history.git} that leaves the outer one alone.
     */
    public static VaultRepository open(Vault vault, String remote, String branch, String agentName) {
        try {
            Git git = openOrCreate(vault.root(), remote, branch);
            StaleGitLocks.clear(git.getRepository().getDirectory().toPath(), git.getRepository().getWorkTree().toPath(), LOCK_MIN_AGE);
            VaultRepository opened = new VaultRepository(vault, git, branch, agentName);
            opened.checkBranch();
            return opened;
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("cannot open the vault's git repository at " + vault.root() + ": " + e.getMessage(), e);
        }
    }

    static Git openOrCreate(Path vault, String remote, String branch) throws IOException, GitAPIException {
        File dir = vault.toFile();
        File own = new File(dir, ".git");
        File history = vault.resolve(".state/history.git").toFile();
        if (own.exists()) {
            return new Git(NoAutoGcRepository.open(new FileRepositoryBuilder().setWorkTree(dir).setMustExist(true)));
        }
        if (history.isDirectory()) {
            return new Git(NoAutoGcRepository.open(new FileRepositoryBuilder().setGitDir(history).setWorkTree(dir).setMustExist(true)));
        }
        FileRepositoryBuilder enclosing = new FileRepositoryBuilder().findGitDir(dir);
        if (enclosing.getGitDir() == null) {
            LOG.info("The vault {} has no git repository; creating one for its history", vault);
            Git.init().setDirectory(dir).setInitialBranch(branch).call().close();
            return new Git(NoAutoGcRepository.open(new FileRepositoryBuilder().setWorkTree(dir).setMustExist(true)));
        }
        if (!remote.isEmpty()) {
            return new Git(NoAutoGcRepository.open(enclosing.setMustExist(true)));
        }
        LOG.info("The vault {} lies inside another git work tree and has no remote; its history is kept in {}", vault, history);
        Repository created = NoAutoGcRepository.open(new FileRepositoryBuilder().setGitDir(history).setWorkTree(dir));
        created.create();
        // JGit leaves a ".git" link file in the work tree; the outer repository would then see a nested one
        Files.deleteIfExists(own.toPath());
        created.getRefDatabase().newUpdate(Constants.HEAD, false).link(Constants.R_HEADS + branch);
        return new Git(created);
    }

    /**
     * The clone must be on the shared branch: syncing another one would push a second branch to the
     * remote. A clone with no commit yet (an empty remote cloned by an older git, on master) is simply
     * switched to it.
     */
    private void checkBranch() throws IOException {
        String current = repo.getFullBranch();
        String wanted = Constants.R_HEADS + branch;
        if (current == null || current.equals(wanted)) {
            return;
        }
        if (repo.resolve(Constants.HEAD) == null) {
            repo.getRefDatabase().newUpdate(Constants.HEAD, false).link(wanted);
            LOG.info("The vault's clone had no commit yet; it is now on branch {} (GIT_BRANCH)", branch);
            return;
        }
        throw new IllegalStateException("the vault's clone is on branch '" + Repository.shortenRefName(current) + "', not on '" + branch
                + "' (GIT_BRANCH): check out " + branch + " (git -C " + workTree + " switch " + branch + ") or set GIT_BRANCH="
                + Repository.shortenRefName(current));
    }

    public ReentrantLock lock() {
        return lock;
    }

    Git git() {
        return git;
    }

    Repository repo() {
        return repo;
    }

    public String branch() {
        return branch;
    }

    PersonIdent identity() {
        return identity;
    }

    /** The vault's folder in the repository, "" or "vault/" (with the slash). */
    String prefix() {
        return prefix;
    }

    Vault vault() {
        return vault;
    }

    /** The repository path of a file in the vault. */
    String repoPath(Path file) {
        return prefix + vault.root().relativize(file.toAbsolutePath().normalize()).toString().replace(File.separatorChar, '/');
    }

    /** The vault-relative path of a repository path of the vault. */
    String vaultPath(String repoPath) {
        return repoPath.substring(prefix.length());
    }

    boolean inVault(String repoPath) {
        return repoPath.startsWith(prefix);
    }

    Path file(String repoPath) {
        return workTree.resolve(repoPath);
    }

    ObjectId head() throws IOException {
        return repo.resolve(Constants.HEAD);
    }

    /**
     * The vault paths whose work-tree file differs from HEAD, or from the index, or that HEAD or the
     * index has and the work tree no longer does: everything a commit of the vault may have to carry.
     */
    Set<String> changedVaultPaths() throws GitAPIException {
        StatusCommand command = git.status();
        if (!prefix.isEmpty()) {
            command.addPath(prefix.substring(0, prefix.length() - 1));
        }
        Status status = command.call();
        Set<String> paths = new TreeSet<>();
        paths.addAll(status.getUntracked());
        paths.addAll(status.getModified());
        paths.addAll(status.getMissing());
        paths.addAll(status.getAdded());
        paths.addAll(status.getChanged());
        paths.addAll(status.getRemoved());
        paths.removeIf(p -> !inVault(p));
        return paths;
    }

    /** A vault file's content and its modification time, read in that order; null when it is gone. */
    Content read(String repoPath) throws IOException {
        Path file = file(repoPath);
        try {
            Instant modified = Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toInstant();
            return new Content(Files.readAllBytes(file), modified);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /**
     * Commits new contents of vault paths (a null content deletes the path) on top of HEAD, through
     * an index of its own, and then brings the owner's index up to date at those paths only. Returns
     * the new commit, or null when HEAD already holds exactly this.
     */
    ObjectId commit(Map<String, Content> changes, String message) throws IOException {
        requireVaultPaths(changes.keySet());
        ObjectId parent = head();
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = inserter.newReader(); RevWalk walk = new RevWalk(reader)) {
            ObjectId parentTree = parent == null ? null : walk.parseCommit(parent).getTree();
            DirCache staged = DirCache.newInCore();
            DirCacheBuilder builder = staged.builder();
            if (parentTree != null) {
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parentTree);
            }
            builder.finish();
            Map<String, ObjectId> blobs = new LinkedHashMap<>();
            DirCacheEditor editor = staged.editor();
            for (Map.Entry<String, Content> c : changes.entrySet()) {
                if (c.getValue() == null) {
                    editor.add(new DirCacheEditor.DeletePath(c.getKey()));
                } else {
                    ObjectId blob = inserter.insert(Constants.OBJ_BLOB, c.getValue().bytes());
                    blobs.put(c.getKey(), blob);
                    editor.add(regularFile(c.getKey(), blob));
                }
            }
            editor.finish();
            ObjectId tree = staged.writeTree(inserter);
            if (tree.equals(parentTree) || (parentTree == null && staged.getEntryCount() == 0)) {
                syncIndex(changes, blobs);
                return null;
            }
            ObjectId commit = inserter.insert(commitOf(tree, message, parent));
            inserter.flush();
            moveHead(parent, commit, "commit: " + message);
            syncIndex(changes, blobs);
            return commit;
        }
    }

    /** A commit of this tree by the agent, now, on these parents. */
    CommitBuilder commitOf(ObjectId tree, String message, ObjectId... parents) {
        PersonIdent now = new PersonIdent(identity, Instant.now());
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        for (ObjectId p : parents) {
            if (p != null) {
                commit.addParentId(p);
            }
        }
        commit.setAuthor(now);
        commit.setCommitter(now);
        commit.setMessage(identity.getName() + ": " + message);
        return commit;
    }

    /** Moves HEAD's branch from {@code expected} to {@code to}; fails when someone else moved it meanwhile. */
    void moveHead(ObjectId expected, ObjectId to, String reason) throws IOException {
        RefUpdate update = repo.updateRef(Constants.HEAD);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setNewObjectId(to);
        update.setForceUpdate(true);
        update.setRefLogIdent(identity);
        update.setRefLogMessage(reason, false);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {
                // moved
            }
            default -> throw new IOException("the branch could not be moved (" + result + "): another git process changed it meanwhile");
        }
    }

    /**
     * Undoes a commit of this agent's (a claim the remote rejected): HEAD goes back to {@code to}, and
     * the owner's index takes {@code to}'s version of the given vault paths. The work tree is the caller's.
     */
    void resetHead(ObjectId expected, ObjectId to, Collection<String> paths) throws IOException {
        requireVaultPaths(paths);
        moveHead(expected, to, "reset: a claim the remote did not take");
        Map<String, ObjectId> blobs = blobsAt(to, paths);
        DirCache index = repo.lockDirCache();
        try {
            DirCacheEditor editor = index.editor();
            for (String p : paths) {
                ObjectId blob = blobs.get(p);
                editor.add(blob == null ? new DirCacheEditor.DeletePath(p) : regularFile(p, blob));
            }
            editor.finish();
            index.write();
            index.commit();
        } finally {
            index.unlock();
        }
    }

    /**
     * Makes the vault's work tree and index match {@code to} where {@code to} differs from
     * {@code from} (a fast-forward or a merge). A file changed on this machine since {@code from} is
     * left as it is: the next sync commits it. Returns the vault paths written or deleted.
     */
    List<String> checkOut(ObjectId from, ObjectId to) throws IOException {
        List<String> changed = new ArrayList<>();
        Map<String, ObjectId> toBlobs = new LinkedHashMap<>();
        Map<String, Instant> written = new LinkedHashMap<>();
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader); TreeWalk tw = new TreeWalk(reader);
             ObjectInserter.Formatter hasher = new ObjectInserter.Formatter()) {
            tw.setRecursive(true);
            if (from == null) {
                tw.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
            } else {
                tw.addTree(walk.parseCommit(from).getTree());
            }
            tw.addTree(walk.parseCommit(to).getTree());
            tw.setFilter(vaultDiff());
            while (tw.next()) {
                String path = tw.getPathString();
                ObjectId before = tw.getFileMode(0) == FileMode.MISSING ? null : tw.getObjectId(0);
                ObjectId after = tw.getFileMode(1) == FileMode.MISSING ? null : tw.getObjectId(1);
                if (after != null && !FileMode.REGULAR_FILE.equals(tw.getFileMode(1)) && !FileMode.EXECUTABLE_FILE.equals(tw.getFileMode(1))) {
                    continue;
                }
                Path file = file(path);
                ObjectId present = presentBlob(hasher, file);
                if (present != null && present.equals(after)) {
                    toBlobs.put(path, after);
                    modifiedTime(file).ifPresent(t -> written.put(path, t));
                    continue;
                }
                if (!java.util.Objects.equals(present, before)) {
                    LOG.debug("{} changed here since the last commit; it is kept and committed next", path);
                    continue;
                }
                if (after == null) {
                    Files.deleteIfExists(file);
                    toBlobs.put(path, null);
                } else {
                    vault.writeAtomically(file, reader.open(after, Constants.OBJ_BLOB).getBytes());
                    toBlobs.put(path, after);
                    // a route may move the file on the moment it is written (a draft on to approval)
                    modifiedTime(file).ifPresent(t -> written.put(path, t));
                }
                changed.add(vaultPath(path));
            }
        }
        if (!toBlobs.isEmpty()) {
            DirCache index = repo.lockDirCache();
            try {
                DirCacheEditor editor = index.editor();
                toBlobs.forEach((p, blob) -> editor.add(blob == null ? new DirCacheEditor.DeletePath(p) : regularFile(p, blob, written.get(p))));
                editor.finish();
                index.write();
                index.commit();
            } finally {
                index.unlock();
            }
        }
        return changed;
    }

    /** The blob id of the file as it is on disk, or null when there is none (also when a route moved it away this instant). */
    private static ObjectId presentBlob(ObjectInserter.Formatter hasher, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return hasher.idFor(Constants.OBJ_BLOB, Files.readAllBytes(file));
        } catch (NoSuchFileException movedAway) {
            return null;
        }
    }

    private static java.util.Optional<Instant> modifiedTime(Path file) throws IOException {
        try {
            return java.util.Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (NoSuchFileException movedAway) {
            return java.util.Optional.empty();
        }
    }

    /** Walks two or three trees over the vault's paths only, skipping what they agree on. */
    TreeFilter vaultDiff() {
        return prefix.isEmpty() ? TreeFilter.ANY_DIFF
                : AndTreeFilter.create(PathFilter.create(prefix.substring(0, prefix.length() - 1)), TreeFilter.ANY_DIFF);
    }

    /** Walks trees over the paths outside the vault only, skipping what they agree on; null when the vault is the whole tree. */
    TreeFilter outsideVaultDiff() {
        return prefix.isEmpty() ? null
                : AndTreeFilter.create(NotTreeFilter.create(PathFilter.create(prefix.substring(0, prefix.length() - 1))), TreeFilter.ANY_DIFF);
    }

    /** The first path outside the vault that differs between two commits, or null. */
    String firstChangeOutsideVault(ObjectId a, ObjectId b) throws IOException {
        TreeFilter outside = outsideVaultDiff();
        if (outside == null || a == null || b == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            tw.setRecursive(true);
            tw.addTree(walk.parseCommit(a).getTree());
            tw.addTree(walk.parseCommit(b).getTree());
            tw.setFilter(outside);
            return tw.next() ? tw.getPathString() : null;
        }
    }

    /** The blobs a commit holds at these paths (absent paths are left out). */
    Map<String, ObjectId> blobsAt(ObjectId commit, Collection<String> paths) throws IOException {
        Map<String, ObjectId> result = new LinkedHashMap<>();
        if (commit == null) {
            return result;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(commit);
            for (String p : paths) {
                try (TreeWalk tw = TreeWalk.forPath(repo, p, c.getTree())) {
                    if (tw != null) {
                        result.put(p, tw.getObjectId(0));
                    }
                }
            }
        }
        return result;
    }

    byte[] bytes(ObjectId blob) throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            return reader.open(blob, Constants.OBJ_BLOB).getBytes();
        }
    }

    /** How many commits {@code include} has that {@code exclude} has not. */
    int count(ObjectId include, ObjectId exclude) throws IOException {
        if (include == null) {
            return 0;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(include));
            if (exclude != null) {
                walk.markUninteresting(walk.parseCommit(exclude));
            }
            int n = 0;
            for (RevCommit ignored : walk) {
                n++;
            }
            return n;
        }
    }

    /** The commits {@code include} has that {@code exclude} has not, newest first. */
    List<RevCommit> commitsBetween(ObjectId exclude, ObjectId include) throws IOException {
        List<RevCommit> result = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(include));
            if (exclude != null) {
                walk.markUninteresting(walk.parseCommit(exclude));
            }
            for (RevCommit c : walk) {
                result.add(c);
            }
        }
        return result;
    }

    /** Brings the owner's index to what was just committed at these paths, nothing else. */
    private void syncIndex(Map<String, Content> changes, Map<String, ObjectId> blobs) throws IOException {
        DirCache index = repo.lockDirCache();
        try {
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, Content> c : changes.entrySet()) {
                editor.add(c.getValue() == null ? new DirCacheEditor.DeletePath(c.getKey())
                        : regularFile(c.getKey(), blobs.get(c.getKey()), c.getValue().modified(), c.getValue().bytes().length));
            }
            editor.finish();
            index.write();
            index.commit();
        } finally {
            index.unlock();
        }
    }

    private static DirCacheEditor.PathEdit regularFile(String path, ObjectId blob) {
        return regularFile(path, blob, null, -1);
    }

    private DirCacheEditor.PathEdit regularFile(String path, ObjectId blob, Instant modified) {
        try {
            return regularFile(path, blob, modified, Files.size(file(path)));
        } catch (IOException e) {
            return regularFile(path, blob, null, -1);
        }
    }

    /**
     * An index entry; with the file's time and length when known, so that status sees it unchanged
     * without hashing it again (an entry without them is compared by content).
     */
    private static DirCacheEditor.PathEdit regularFile(String path, ObjectId blob, Instant modified, long length) {
        return new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
                if (modified != null && length >= 0) {
                    entry.setLastModified(modified);
                    entry.setLength(length);
                } else {
                    entry.setLastModified(Instant.EPOCH);
                    entry.setLength(0);
                }
            }
        };
    }

    private void requireVaultPaths(Collection<String> paths) {
        for (String p : paths) {
            if (!inVault(p)) {
                throw new IllegalArgumentException("not a vault path: " + p);
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
