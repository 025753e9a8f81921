package com.digitalfte.sync;

import java.io.IOException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The vault's repository (and a remote on this disk, as {@link LocalRemotes} serves it), which never
 * collects garbage on its own. JGit ends every fetch with an
 * automatic gc, and it counts the packs against {@code gc.autoPackLimit} whatever {@code gc.auto}
 * says: past 50 packs (every fetch adds one) each fetch repacked the whole history in the
 * foreground, under the sync lock, and the packs it replaced stayed beside the new one for an
 * hour, so each gc had more to read and the syncs grew slower with every day of use.
 * {@link Housekeeping} packs instead, under the sync lock, when the history needs it.
 */
final class NoAutoGcRepository extends FileRepository {

    private NoAutoGcRepository(FileRepositoryBuilder options) throws IOException {
        super(options);
    }

    /** The repository the builder describes (its git dir and work tree found as the builder finds them). */
    static NoAutoGcRepository open(FileRepositoryBuilder options) throws IOException {
        options.setup();
        NoAutoGcRepository repository = new NoAutoGcRepository(options);
        if (options.isMustExist() && !repository.getObjectDatabase().exists()) {
            repository.close();
            throw new RepositoryNotFoundException(options.getGitDir());
        }
        return repository;
    }

    @Override
    public void autoGC(ProgressMonitor monitor) {
        // housekeeping's, under the sync lock
    }
}
