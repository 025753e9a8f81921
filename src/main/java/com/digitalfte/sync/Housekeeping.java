package com.digitalfte.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the vault's history fast for months. Auto-gc is off in the vault's repository (a gc of its
 * own would race the syncs for the pack files), so this packs it instead: called under the sync
 * lock after a sync, at most once {@code every}, it counts the loose objects and the packs and runs
 * a gc when there are more than {@code looseBeforeGc} loose objects or more than 50 packs.
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
    private Instant last;

    Housekeeping(Git git, Clock clock, Duration every, int looseBeforeGc) {
        this.git = git;
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
        try {
            Properties statistics = git.gc().getStatistics();
            long loose = number(statistics.get("numberOfLooseObjects"));
            long packs = number(statistics.get("numberOfPackFiles"));
            // every fetch leaves a small pack of its own: past git's gc.autoPackLimit they are packed into one
            if (loose > looseBeforeGc || packs > PACKS_BEFORE_GC) {
                long start = System.nanoTime();
                // a replaced heartbeat leaves its commit unreachable: pruned once an hour old, or an interval
                // when that is shorter (git's two weeks would keep a fortnight of them loose, and every look
                // would pack again); the packs the gc replaced go at once, as with git repack -a -d (the sync
                // lock is held: nothing of ours reads them meanwhile)
                git.getRepository().getConfig().setString("gc", null, "prunePackExpire", "now");
                git.gc().setExpire(Date.from(now.minus(pruneAfter()))).call();
                LOG.info("Vault history packed ({} loose objects, {} packs) in {} ms", loose, packs, (System.nanoTime() - start) / 1_000_000);
                return true;
            }
        } catch (GitAPIException | RuntimeException e) {
            LOG.warn("Vault history housekeeping failed, it is tried again in {} min: {}", every.toMinutes(), e.getMessage());
        }
        return false;
    }
}
