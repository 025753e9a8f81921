package com.digitalfte.sync;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.secrets.Masking;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.secrets.UrlCredentials;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.Vault;
import com.digitalfte.vault.VaultInvariant;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of the vault with its remote, under the repository's lock: commit what changed here
 * (vault paths only, past the secret guard), fetch, merge the remote's commits (vault paths only,
 * nothing lost), check that every task is in one folder, publish this agent's heartbeat, push; a
 * rejected push goes round again, a bounded number of times. Every remote operation has a timeout.
 * A remote out of reach loses nothing and blocks no local work; a remote that refuses us is an error
 * the owner must fix, said once, and no claim is taken meanwhile.
 */
public final class VaultSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VaultSync.class);
    private static final int MAX_PUSH_ROUNDS = 5;
    private static final int MAX_OTHER_REJECTIONS = 3;
    /** After a refusal, claims leave the remote alone this long (the next sync tries again sooner if it runs). */
    private static final Duration REFUSAL_BACKOFF = Duration.ofSeconds(60);

    /** How a push of the shared branch went. */
    enum Pushed { OK, REJECTED }

    private record Exchanged(int files, int pulled, int pushed) {
    }

    private final VaultRepository repo;
    private final GitTransports transports;
    private final GitRemote remote;
    private final SecretGuard guard;
    private final Staging staging;
    private final VaultMerge merge;
    private final Heartbeats heartbeats;
    private final VaultInvariant invariant;
    private final SyncListener listener;
    private final String agentName;
    private final Path syncLog;
    private final Clock clock;
    /** Set when the remote moved on without us: the next claim fetches before it tries. */
    private boolean behind = true;
    private volatile String refusal;
    private volatile Instant refusedAt = Instant.EPOCH;
    private volatile String outage;
    private Housekeeping housekeeping;

    /**
     * How this agent syncs: through which remote (none: "") and branch, as whom, how long a remote
     * operation may take, how often its heartbeat is published at most, and how the remote is reached
     * (ssh keys, https credentials; closed with the sync).
     */
    public record Options(String remote, String branch, String agentName, int timeoutSeconds, Duration heartbeatEvery, GitTransports transports) {
        public Options {
            remote = remote == null ? "" : remote;
        }

        /** With JGit's defaults for ssh and https (~/.ssh, no token). */
        public Options(String remote, String branch, String agentName, int timeoutSeconds, Duration heartbeatEvery) {
            this(remote, branch, agentName, timeoutSeconds, heartbeatEvery, GitTransports.defaults());
        }
    }

    /** A sync with no configured secrets to look for and nobody listening: for tools and tests. */
    public VaultSync(Path vault, String remote, String branch, String agentName, Path syncLog) {
        this(new Vault(vault), new Options(remote, branch, agentName, 30, Duration.ofSeconds(60)), syncLog,
                new SecretGuard(List.of()), SyncListener.NONE, CommitFilter.ALL);
    }

    public VaultSync(Vault vault, Options options, Path syncLog, SecretGuard guard, SyncListener listener, CommitFilter filter) {
        String agentName = options.agentName();
        this.repo = VaultRepository.open(vault, options.remote(), options.branch(), agentName);
        this.transports = options.transports();
        this.remote = options.remote().isEmpty() ? null
                : new GitRemote(repo.git(), options.remote(), options.branch(), options.timeoutSeconds(), transports);
        // a token in the remote's URL or in ~/.netrc is a configured secret like any other: never committed, never logged
        Set<String> fromUrl = new java.util.LinkedHashSet<>();
        if (remote != null) {
            fromUrl.addAll(UrlCredentials.in(remote.url()));
            fromUrl.addAll(transports.secretsFor(remote.url()));
        }
        Masking.add(fromUrl);
        this.guard = guard.with(fromUrl);
        this.staging = new Staging(repo, this.guard, new Quarantine(vault.root()), listener, filter);
        this.merge = new VaultMerge(repo, Clock.systemUTC());
        this.heartbeats = this.remote == null ? null : new Heartbeats(repo, agentName, options.remote(), options.heartbeatEvery());
        this.invariant = new VaultInvariant(vault);
        this.listener = listener;
        this.agentName = agentName;
        this.syncLog = syncLog;
        this.clock = Clock.systemUTC();
        this.housekeeping = new Housekeeping(repo.git(), remoteOnDisk(), clock, Housekeeping.EVERY, Housekeeping.LOOSE_BEFORE_GC);
    }

    /** How often the history's loose objects are counted (and packed past the limit): VAULT_GC_INTERVAL, an hour unless told. */
    public void housekeepingEvery(Duration every) {
        repo.lock().lock();
        try {
            housekeeping = new Housekeeping(repo.git(), remoteOnDisk(), clock, every, Housekeeping.LOOSE_BEFORE_GC);
        } finally {
            repo.lock().unlock();
        }
    }

    private Path remoteOnDisk() {
        return remote == null ? null : Housekeeping.onDisk(remote.url());
    }

    /** The guard this sync applies: the configured secrets and the remote URL's credential. */
    public SecretGuard guard() {
        return guard;
    }

    VaultRepository repository() {
        return repo;
    }

    boolean hasRemote() {
        return remote != null;
    }

    /** The remote's URL as the repository names it ("" without a remote): what a credential in it may be read from. */
    public String remoteUrl() {
        return remote == null ? "" : remote.url();
    }

    /** How the remote is reached (ssh with which key, https with which credentials), for the start-up summary; no secret in it. */
    public String remoteAccess() {
        return remote == null ? "" : transports.describe(remote.url());
    }

    public SyncResult sync() {
        repo.lock().lock();
        long start = System.nanoTime();
        SyncResult result;
        int[] committed = new int[1];
        try {
            Exchanged x = exchange(committed);
            String outcome = remote == null ? (x.files() > 0 ? "committed" : "clean")
                    : x.pushed() > 0 ? "pushed" : x.pulled() > 0 ? "pulled" : "up-to-date";
            result = new SyncResult(outcome, x.files(), x.pulled(), x.pushed(), millisSince(start), null);
            accepted();
            housekeeping.run();
        } catch (RemoteException.Refused e) {
            refused(e);
            result = new SyncResult("refused", committed[0], 0, 0, millisSince(start), e.getMessage());
        } catch (RemoteException.Unreachable e) {
            unreachable(e);
            result = new SyncResult("unreachable", committed[0], 0, 0, millisSince(start), e.getMessage());
        } catch (Exception e) {
            String message = describe(e);
            LOG.warn("Vault sync failed, nothing is lost and the next sync tries again: {}", message);
            result = new SyncResult("error", committed[0], 0, 0, millisSince(start), message);
        } finally {
            repo.lock().unlock();
        }
        record(result);
        return result;
    }

    /** A failure in words: a file system's exception says only the path, so what happened to it is added. */
    static String describe(Exception e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
            if (e instanceof NoSuchFileException) {
                return "a file went away while it was read (moved on by a route or the owner): " + file;
            }
            if (e instanceof AccessDeniedException) {
                return "no permission to write or read " + file;
            }
            String reason = f.getReason() == null ? e.getClass().getSimpleName() : f.getReason();
            return file.isEmpty() ? reason : reason + ": " + file;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Commit what changed here, then (with a remote) fetch, merge, repair, push; under the lock. */
    private Exchanged exchange(int[] committed) throws IOException, GitAPIException, RemoteException {
        int files = commitLocalChanges();
        committed[0] = files;
        if (remote == null) {
            return new Exchanged(files, 0, 0);
        }
        int pulled = 0;
        int pushed = 0;
        int otherRejections = 0;
        for (int round = 1; ; round++) {
            remote.fetch();
            int incoming = mergeRemote();
            pulled += incoming;
            if (incoming > 0) {
                files += repairInvariant();
            }
            heartbeats.materialize();
            behind = false;
            int ahead = ahead();
            List<RefSpec> specs = new ArrayList<>();
            if (ahead > 0) {
                ownCommitsStayInVault();
                specs.add(branchSpec());
            }
            Instant now = clock.instant();
            RefSpec heartbeat = heartbeats.toPublish(now);
            if (heartbeat != null) {
                specs.add(heartbeat);
            }
            if (specs.isEmpty()) {
                break;
            }
            Map<String, RemoteRefUpdate> updates = remote.push(specs);
            if (heartbeat != null && accepted(updates.get(heartbeat.getDestination()))) {
                heartbeats.published(now);
            }
            if (ahead == 0) {
                break;
            }
            RemoteRefUpdate main = updates.get(branchSpec().getDestination());
            if (accepted(main)) {
                pushed += ahead;
                break;
            }
            behind = true;
            if (main != null && isRace(main)) {
                if (round >= MAX_PUSH_ROUNDS) {
                    throw new IllegalStateException("the remote rejected the push " + round + " times in a row (it keeps moving on)");
                }
                LOG.debug("Push rejected (the remote moved on); fetching and trying again ({}/{})", round, MAX_PUSH_ROUNDS);
                continue;
            }
            if (++otherRejections >= MAX_OTHER_REJECTIONS) {
                throw new RemoteException.Refused("the remote refuses the push of branch " + repo.branch() + ": " + describe(main), null);
            }
        }
        return new Exchanged(files, pulled, pushed);
    }

    /**
     * Whether the remote's branch moved since this clone last fetched it: one small request (the
     * remote's refs, nothing fetched), so each side notices a draft or an approval within seconds
     * instead of at the next periodic sync. Quiet while the remote refuses us or is out of reach;
     * the periodic sync says so.
     */
    public boolean remoteMoved() {
        if (remote == null || !mayAskRemote()) {
            return false;
        }
        try {
            ObjectId theirs = remote.refs().get("refs/heads/" + repo.branch());
            return theirs != null && !theirs.equals(remote.tracking());
        } catch (RemoteException e) {
            LOG.debug("Cannot look at the remote's branch now: {}", e.getMessage());
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Asks the remote for its branches now (one small request, nothing fetched), for the health
     * check and the doctor: empty when it answered, else why not, in the owner's words.
     */
    public java.util.Optional<RemoteException> askRemote() {
        if (remote == null) {
            return java.util.Optional.empty();
        }
        try {
            remote.refs();
            return java.util.Optional.empty();
        } catch (RemoteException e) {
            return java.util.Optional.of(e);
        }
    }

    /**
     * Under the lock: commits this side's pending work and, when the remote may have moved on since
     * the last push, fetches and merges it; what a claim stands on.
     */
    void catchUp() throws IOException, GitAPIException, RemoteException {
        commitLocalChanges();
        if (behind) {
            remote.fetch();
            if (mergeRemote() > 0) {
                repairInvariant();
            }
            heartbeats.materialize();
            behind = false;
        }
    }

    /** Under the lock: pushes the shared branch alone. */
    Pushed pushBranch() throws IOException, RemoteException {
        ownCommitsStayInVault();
        RemoteRefUpdate main = remote.push(List.of(branchSpec())).get(branchSpec().getDestination());
        if (accepted(main)) {
            return Pushed.OK;
        }
        behind = true;
        if (main == null || isRace(main) || main.getStatus() == RemoteRefUpdate.Status.REJECTED_OTHER_REASON) {
            // a claim lost like a race; whether the remote really refuses us is the sync's to tell, after bounded tries
            return Pushed.REJECTED;
        }
        throw new RemoteException.Refused("the remote refuses the push of branch " + repo.branch() + ": " + describe(main), null);
    }

    void markBehind() {
        behind = true;
    }

    /** Whether a claim may ask the remote now: not for a while after it refused us. */
    boolean mayAskRemote() {
        return refusal == null || Duration.between(refusedAt, clock.instant()).compareTo(REFUSAL_BACKOFF) >= 0;
    }

    /** The remote refused us: said once (and again when the reason changes), shown on the Dashboard from the sync log. */
    void refused(RemoteException.Refused e) {
        refusedAt = clock.instant();
        if (!e.getMessage().equals(refusal)) {
            LOG.error("Vault sync refused: {}. No claim is taken until it is fixed", e.getMessage());
            listener.refused(e.getMessage());
        }
        refusal = e.getMessage();
        outage = null;
    }

    /** The remote is out of reach: said once per outage; work goes on here. */
    void unreachable(RemoteException.Unreachable e) {
        if (outage == null) {
            LOG.warn("Vault sync: {}", e.getMessage());
        } else {
            LOG.debug("Vault sync: still out of reach: {}", e.getMessage());
        }
        outage = e.getMessage();
    }

    private void accepted() {
        if (refusal != null) {
            LOG.info("Vault sync: the remote accepts this agent again");
        } else if (outage != null) {
            LOG.info("Vault sync: the remote is back");
        }
        refusal = null;
        outage = null;
    }

    private RefSpec branchSpec() {
        return new RefSpec("HEAD:refs/heads/" + repo.branch());
    }

    private int ahead() throws IOException {
        return repo.count(repo.head(), remote.tracking());
    }

    /**
     * In the owner's work tree, the agent pushes vault changes only: a commit of the owner's own that
     * changes files outside the vault is theirs to push.
     */
    private void ownCommitsStayInVault() throws IOException, RemoteException {
        if (repo.prefix().isEmpty()) {
            return;
        }
        for (RevCommit c : repo.commitsBetween(remote.tracking(), repo.head())) {
            ObjectId parent = c.getParentCount() == 0 ? null : c.getParent(0);
            String outside = parent == null ? null : repo.firstChangeOutsideVault(parent, c);
            if (outside != null) {
                throw new RemoteException.Refused("this clone has a commit of its own (" + c.abbreviate(8).name() + " \""
                        + c.getShortMessage() + "\") that changes files outside the vault (" + outside
                        + "); the agent pushes vault changes only: push it yourself (git push)", null);
            }
        }
    }

    private static boolean accepted(RemoteRefUpdate u) {
        return u != null && (u.getStatus() == RemoteRefUpdate.Status.OK || u.getStatus() == RemoteRefUpdate.Status.UP_TO_DATE);
    }

    /**
     * The remote moved on meanwhile: a fetch and another try settle it. A server that could not lock
     * or update the ref because another push held it at that instant ("failed to update ref", "cannot
     * lock ref") says the same in other words.
     */
    private static boolean isRace(RemoteRefUpdate u) {
        RemoteRefUpdate.Status s = u.getStatus();
        if (s == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD || s == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED) {
            return true;
        }
        String m = u.getMessage() == null ? "" : u.getMessage().toLowerCase(java.util.Locale.ROOT);
        return s == RemoteRefUpdate.Status.REJECTED_OTHER_REASON && (m.contains("failed to update ref") || m.contains("lock"));
    }

    private static String describe(RemoteRefUpdate u) {
        return u == null ? "no answer for the branch" : u.getStatus() + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")");
    }

    /** Brings in the remote's commits; returns how many there were. */
    private int mergeRemote() throws IOException, RemoteException {
        ObjectId theirs = remote.tracking();
        VaultMerge.Outcome outcome = merge.merge(theirs, otherSide(theirs));
        for (VaultMerge.Conflict c : outcome.conflicts()) {
            listener.conflicted(c.vaultPath(), c.otherSideAt());
        }
        return outcome.incoming();
    }

    /** Who made the remote's last commit, for the name of a conflict copy: "cloud" for the agent cloud. */
    private String otherSide(ObjectId theirs) throws IOException {
        if (theirs == null) {
            return remote.name();
        }
        try (RevWalk walk = new RevWalk(repo.repo())) {
            String name = walk.parseCommit(theirs).getCommitterIdent().getName().replaceFirst("^DigitalFTE ", "");
            String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
            return safe.isEmpty() ? remote.name() : safe;
        }
    }

    private int repairInvariant() throws IOException, GitAPIException {
        ObjectId theirs = remote.tracking();
        List<VaultInvariant.Repair> repairs = invariant.repair(path -> onRemote(theirs, path));
        for (VaultInvariant.Repair r : repairs) {
            LOG.warn("Task {} was in {} places after the pull; kept {}, removed {}", r.id(), r.removed().size() + 1, r.kept(), r.removed());
            listener.repaired(r);
        }
        return repairs.isEmpty() ? 0 : commitLocalChanges();
    }

    private boolean onRemote(ObjectId theirs, String vaultPath) {
        try {
            return !repo.blobsAt(theirs, List.of(repo.prefix() + vaultPath)).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Commits what changed among the allowed vault paths; returns how many files went in. */
    int commitLocalChanges() throws GitAPIException, IOException {
        Map<String, VaultRepository.Content> changes = staging.collect();
        if (changes.isEmpty()) {
            return 0;
        }
        return repo.commit(changes, changes.size() + " file(s)") == null ? 0 : changes.size();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** One line to {@code Logs/claims.jsonl} a claim pushed: how many tasks, won or lost, and how long it took. */
    void claimed(int tasks, boolean won, long startNanos) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("agent", agentName);
        line.put("tasks", tasks);
        line.put("result", won ? "claimed" : "lost");
        line.put("ms", millisSince(startNanos));
        try {
            JsonLines.append(syncLog.resolveSibling("claims.jsonl"), line);
        } catch (RuntimeException e) {
            LOG.debug("Cannot write the claim line: {}", e.getMessage());
        }
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
        transports.close();
        repo.close();
    }
}
