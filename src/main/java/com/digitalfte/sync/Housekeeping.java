package com.digitalfte.sync;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the vault's history fast for months. Auto-gc is off in the vault's repository (a gc of its
 * own would race the syncs for the pack files), so this packs it instead: called under the sync
 * lock after a sync, at most once {@code every}, it counts the loose objects and the packs and runs
 * a gc when there are more than {@code looseBeforeGc} loose objects or more than 50 packs. A remote
 * that is a repository on this machine's disk (a bare repository on a local disk or a mounted
 * share) is looked after the same way: git's {@code receive-pack} packs a server's history after
 * pushes ({@code receive.autogc}), but a push to a path is received in this process
 * ({@link LocalRemotes}), where the remote never packs itself, and every push leaves a pack of its
 * own there.
 */
final class Housekeeping {

    static final Duration EVERY = Duration.ofHours(1);
    static final int LOOSE_BEFORE_GC = 2000;
    static final int PACKS_BEFORE_GC = 50;
    static final Duration PRUNE_UNREACHABLE_AFTER = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Git git;
    private final Clock clock;
    private final Duration every;
    private final int looseBeforeGc;
    private final Path remoteOnDisk;
    private Instant last;

    Housekeeping(Git git, Clock clock, Duration every, int looseBeforeGc) {
        this(git, null, clock, every, looseBeforeGc);
    }

    /** With the remote's git directory when it is on this machine's disk (null otherwise). */
    Housekeeping(Git git, Path remoteOnDisk, Clock clock, Duration every, int looseBeforeGc) {
        this.git = git;
        this.remoteOnDisk = remoteOnDisk;
        this.clock = clock;
        this.every = every;
        this.looseBeforeGc = looseBeforeGc;
        this.last = clock.instant();
    }

    private static long number(Object statistic) {
        return statistic instanceof Number n ? n.longValue() : 0;
    }

    /** An hour, or the interval when that is shorter (a soak that compresses time). */
    private Duration pruneAfter() {
        return every.compareTo(PRUNE_UNREACHABLE_AFTER) < 0 ? every : PRUNE_UNREACHABLE_AFTER;
    }

    /** True when it packed the history now. */
    boolean run() {
        Instant now = clock.instant();
        if (Duration.between(last, now).compareTo(every) < 0) {
            return false;
        }
        last = now;
        boolean packed = false;
        try {
            if (needsGc(git, "the vault's history")) {
                long start = System.nanoTime();
                // a replaced heartbeat leaves its commit unreachable: pruned once an hour old, or an interval
                // when that is shorter (git's two weeks would keep a fortnight of them loose, and every look
                // would pack again); the packs the gc replaced go at once, as with git repack -a -d (the sync
                // lock is held: nothing of ours reads them meanwhile)
                git.getRepository().getConfig().setString("gc", null, "prunePackExpire", "now");
                git.gc().setExpire(Date.from(now.minus(pruneAfter()))).call();
                LOG.info("Vault history packed in {} ms", (System.nanoTime() - start) / 1_000_000);
                packed = true;
            }
        } catch (GitAPIException | RuntimeException e) {
            LOG.warn("Vault history housekeeping failed, it is tried again in {} min: {}", every.toMinutes(), e.getMessage());
        }
        return packRemote() || packed;
    }

    /**
     * The remote on this disk, packed more gently than this side's history, since other agents may be
     * fetching from it this very moment: the packs a gc replaced stay an hour (as git keeps them; an
     * interval when that is shorter), unreachable objects git's two weeks.
     */
    private boolean packRemote() {
        if (remoteOnDisk == null || !Files.isDirectory(remoteOnDisk.resolve("objects"))) {
            return false;
        }
        if (Files.exists(remoteOnDisk.resolve("gc.pid"))) {
            // another agent on this machine is packing it right now
            LOG.debug("The remote's history at {} is being packed by another process", remoteOnDisk);
            return false;
        }
        try {
            return LocalRemotes.with(remoteOnDisk, repository -> {
                Git remote = new Git(repository);
                if (!needsGc(remote, "the remote's history at " + remoteOnDisk)) {
                    return false;
                }
                long start = System.nanoTime();
                repository.getConfig().setString("gc", null, "prunePackExpire", pruneAfter().toSeconds() + ".seconds.ago");
                remote.gc().call();
                LOG.info("The remote's history at {} packed in {} ms", remoteOnDisk, (System.nanoTime() - start) / 1_000_000);
                return true;
            });
        } catch (Exception e) {
            LOG.warn("Housekeeping of the remote's history at {} failed, it is tried again in {} min: {}", remoteOnDisk, every.toMinutes(), e.getMessage());
            return false;
        }
    }

    private boolean needsGc(Git repository, String what) throws GitAPIException {
        Properties statistics = repository.gc().getStatistics();
        long loose = number(statistics.get("numberOfLooseObjects"));
        long packs = number(statistics.get("numberOfPackFiles"));
        // every fetch and every push leaves a small pack of its own: past git's gc.autoPackLimit they are packed into one
        boolean needed = loose > looseBeforeGc || packs > PACKS_BEFORE_GC;
        if (needed) {
            LOG.debug("{}: {} loose objects, {} packs", what, loose, packs);
        }
        return needed;
    }

    /**
     * The git directory of a remote that is a repository on this machine's disk ({@code /srv/vault.git},
     * {@code file:///srv/vault.git}, a clone's work tree), or null for a server's URL.
     */
    static Path onDisk(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URIish uri = new URIish(url);
            if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
                return null;
            }
            if (uri.getHost() != null && !uri.getHost().isEmpty()) {
                return null;
            }
            Path dir = Path.of(uri.getPath());
            if (!dir.isAbsolute()) {
                return null;
            }
            return Files.isDirectory(dir.resolve(".git")) ? dir.resolve(".git") : dir;
        } catch (URISyntaxException | RuntimeException notAPath) {
            return null;
        }
    }
}
