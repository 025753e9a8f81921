package com.digitalfte.sync;

import java.io.File;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BasePackFetchConnection;
import org.eclipse.jgit.transport.BasePackPushConnection;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportProtocol;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote that is a repository on this machine's disk ({@code /srv/vault.git}, {@code file://...}),
 * served in this process from one repository kept open, as a git server keeps
 * its repositories open. JGit's own transport for a path opens the remote afresh for every fetch
 * and every push: each time it read every pack's index, computed its reverse index and loaded its
 * bitmaps again, and after each push it started a gc of its own in the background that left the
 * packs it replaced for an hour; the soak's syncs grew from 150 to 830 ms in eight "days".
 * Kept open, a pack is read once; the remote never packs itself ({@link NoAutoGcRepository}), and
 * {@link Housekeeping} packs it under the sync lock, through the same repository.
 * <p>
 * A path that is no repository (yet), a bundle file, and a repository on a network file system
 * (which may answer with cached attributes, and a repository kept open trusts them to see a ref
 * move) are left to JGit's own transport and its words. A repository replaced by another at the same path (moved away and back, restored from a
 * backup) is opened again; one unused for {@link #IDLE} is closed.
 */
final class LocalRemotes extends TransportProtocol {

    static final Duration IDLE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(LocalRemotes.class);
    private static final LocalRemotes INSTANCE = new LocalRemotes();

    static {
        // JGit holds protocols weakly; INSTANCE holds this one for the life of the class
        Transport.register(INSTANCE);
    }

    /** The file systems of a machine's own disks (Linux, macOS, Windows); any other is served by JGit's own transport. */
    private static final Set<String> LOCAL_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs",
            "bcachefs", "tmpfs", "overlay", "apfs", "hfs", "ntfs", "refs", "vfat", "exfat", "fat32", "msdos");

    private final Map<Path, Held> held = new ConcurrentHashMap<>();
    private final Map<Path, Boolean> localDisk = new ConcurrentHashMap<>();

    private LocalRemotes() {
    }

    /** Puts this transport in front of JGit's own for paths; once per JVM, any later call does nothing. */
    static void install() {
        Objects.requireNonNull(INSTANCE);
    }

    /** Work on a repository: a gc, a look at its packs. */
    interface Work<T> {
        T on(Repository repository) throws Exception;
    }

    /**
     * Does this work on the repository held open for this git directory (opened and held when it
     * is not yet), so that what a gc replaces is forgotten where it was read.
     */
    static <T> T with(Path gitDir, Work<T> work) throws Exception {
        Path dir = gitDir.toAbsolutePath().normalize();
        Held h = INSTANCE.take(dir);
        try {
            return work.on(h.repository);
        } finally {
            h.release();
        }
    }

    /** The repository held open for this git directory, or null; for tests. */
    static Repository held(Path gitDir) {
        Held h = INSTANCE.held.get(gitDir.toAbsolutePath().normalize());
        return h == null ? null : h.repository;
    }

    /** Closes every repository unused for this long; for tests (a fetch or push does it for {@link #IDLE}). */
    static void closeIdle(Duration idle) {
        INSTANCE.closeIdle(System.nanoTime(), idle);
    }

    @Override
    public String getName() {
        return "Vault remote on this disk";
    }

    @Override
    public Set<String> getSchemes() {
        return Collections.singleton("file");
    }

    @Override
    public Set<URIishField> getRequiredFields() {
        return EnumSet.of(URIishField.PATH);
    }

    @Override
    public boolean canHandle(URIish uri, Repository local, String remoteName) {
        if (local == null || uri.getPath() == null || uri.getPort() > 0 || uri.getUser() != null || uri.getPass() != null
                || uri.getHost() != null || (uri.getScheme() != null && !"file".equals(uri.getScheme()))) {
            return false;
        }
        File gitDir = gitDir(uri, local);
        return gitDir != null && onLocalDisk(gitDir.toPath().toAbsolutePath().normalize());
    }

    /**
     * Whether the repository is on a disk of this machine. A network file system (NFS, SMB, sshfs)
     * may answer with attributes it cached, and a repository kept open trusts them to tell a ref
     * that moved: there JGit's own transport, which reads every file afresh, serves it.
     */
    private boolean onLocalDisk(Path gitDir) {
        return localDisk.computeIfAbsent(gitDir, dir -> {
            try {
                return LOCAL_FILE_SYSTEMS.contains(Files.getFileStore(dir).type().toLowerCase(java.util.Locale.ROOT));
            } catch (IOException | RuntimeException unknown) {
                return false;
            }
        });
    }

    @Override
    public Transport open(URIish uri, Repository local, String remoteName) throws TransportException {
        File gitDir = gitDir(uri, local);
        if (gitDir == null) {
            // gone since canHandle: in JGit's words for a path that is no repository
            throw new NoRemoteRepositoryException(uri, "not found");
        }
        return new InProcess(local, uri, gitDir.toPath().toAbsolutePath().normalize());
    }

    private static File gitDir(URIish uri, Repository local) {
        File base = local.isBare() ? local.getDirectory() : local.getWorkTree();
        File path = local.getFS().resolve(base, uri.getPath());
        if (path.isFile()) {
            return null;
        }
        return RepositoryCache.FileKey.resolve(path, local.getFS());
    }

    /** The repository held for this git directory, one use taken; opened and held when none is, or another moved in. */
    private Held take(Path gitDir) throws IOException {
        Object identity = identity(gitDir);
        closeIdle(System.nanoTime(), IDLE);
        for (;;) {
            Held h = held.get(gitDir);
            if (h != null && Objects.equals(h.identity, identity) && h.acquire()) {
                return h;
            }
            if (h != null) {
                // another repository at this path now (or one just closed as idle): this one goes
                held.remove(gitDir, h);
                h.retire();
            }
            Held opened = new Held(NoAutoGcRepository.open(new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true)), identity);
            opened.acquire();
            if (held.putIfAbsent(gitDir, opened) == null) {
                return opened;
            }
            opened.release();
            opened.retire();
        }
    }

    /** The objects folder's identity (its inode): another repository moved in at this path has another. */
    private static Object identity(Path gitDir) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(gitDir.resolve("objects"), BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    private void closeIdle(long now, Duration idle) {
        held.forEach((dir, h) -> {
            if (h.idleLongerThan(now, idle) && held.remove(dir, h)) {
                h.retire();
                LOG.debug("Closed the vault remote at {}, unused for {} s", dir, idle.toSeconds());
            }
        });
    }

    /** A repository kept open, with how many fetches, pushes and housekeepers use it right now. */
    private static final class Held {
        final Repository repository;
        final Object identity;
        private final AtomicInteger users = new AtomicInteger();
        private volatile long lastUsed = System.nanoTime();
        private volatile boolean retired;

        Held(Repository repository, Object identity) {
            this.repository = repository;
            this.identity = identity;
        }

        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            users.incrementAndGet();
            lastUsed = System.nanoTime();
            return true;
        }

        synchronized void release() {
            lastUsed = System.nanoTime();
            if (users.get() == 0) {
                LOG.warn("The vault remote's repository was given back more often than taken; left open");
                return;
            }
            if (users.decrementAndGet() == 0 && retired) {
                repository.close();
            }
        }

        synchronized void retire() {
            retired = true;
            if (users.get() == 0) {
                repository.close();
            }
        }

        synchronized boolean idleLongerThan(long now, Duration idle) {
            return users.get() == 0 && now - lastUsed >= idle.toNanos();
        }

    }

    /**
     * Fetches and pushes served by {@link UploadPack} and {@link ReceivePack} in this process, over
     * pipes. The transport itself holds nothing (JGit does not close every transport it opens): each
     * connection takes the repository when it starts and its server's side gives it back when done.
     */
    private static final class InProcess extends Transport implements PackTransport {
        private final Path gitDir;

        InProcess(Repository local, URIish uri, Path gitDir) {
            super(local, uri);
            this.gitDir = gitDir;
        }

        Held take() throws TransportException {
            try {
                return INSTANCE.take(gitDir);
            } catch (IOException e) {
                throw new TransportException(uri, "cannot open the repository: " + e.getMessage(), e);
            }
        }

        @Override
        public FetchConnection openFetch() throws TransportException {
            return new Fetch(this);
        }

        @Override
        public PushConnection openPush() throws TransportException {
            return new Push(this);
        }

        @Override
        public void close() {
            // each connection gave back what it took
        }
    }

    private static final class Fetch extends BasePackFetchConnection {
        private Thread worker;

        Fetch(InProcess transport) throws TransportException {
            super(transport);
            // the client writes its wants and haves in one burst before it reads: room for them all
            Connected c = connect(transport, "vault-remote-upload-pack", MIN_CLIENT_BUFFER,
                    (repository, in, out) -> new UploadPack(repository).upload(in, out, null));
            worker = c.worker();
            init(c.fromServer(), c.toServer());
            try {
                readAdvertisedRefs();
            } catch (TransportException | RuntimeException e) {
                // closing the client's ends lets the server's side finish and give the repository back
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            super.close();
            worker = join(worker);
        }
    }

    private static final class Push extends BasePackPushConnection {
        private Thread worker;

        Push(InProcess transport) throws TransportException {
            super(transport);
            Connected c = connect(transport, "vault-remote-receive-pack", PIPE_SIZE,
                    (repository, in, out) -> new ReceivePack(repository).receive(in, out, null));
            worker = c.worker();
            init(c.fromServer(), c.toServer());
            try {
                readAdvertisedRefs();
            } catch (TransportException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            super.close();
            worker = join(worker);
        }
    }

    /** {@link PipedInputStream}'s own size, as JGit's in-process push uses it. */
    private static final int PIPE_SIZE = 1024;

    /** The client's ends of a connection, and the thread its server's side runs in. */
    private record Connected(PipedInputStream fromServer, PipedOutputStream toServer, Thread worker) {
    }

    private interface Server {
        void serve(Repository repository, PipedInputStream in, PipedOutputStream out) throws IOException;
    }

    /**
     * Takes the repository, connects the pipes and starts the server's side, which gives the
     * repository back when it is done; given back here when no server's side could start.
     */
    private static Connected connect(InProcess transport, String name, int clientBuffer, Server server) throws TransportException {
        Held remote = transport.take();
        try {
            PipedInputStream fromServer = new PipedInputStream();
            PipedOutputStream serverOut = new PipedOutputStream(fromServer);
            PipedInputStream serverIn = new PipedInputStream(clientBuffer);
            PipedOutputStream toServer = new PipedOutputStream(serverIn);
            Thread worker = serve(name, remote, serverIn, serverOut, () -> server.serve(remote.repository, serverIn, serverOut));
            return new Connected(fromServer, toServer, worker);
        } catch (IOException | RuntimeException | Error e) {
            remote.release();
            throw new TransportException(transport.getURI(), "cannot connect to the repository: " + e.getMessage(), e);
        }
    }

    private interface Serving {
        void run() throws IOException;
    }

    /** The server's side of one connection, in a thread of its own; it closes its pipe ends and releases the repository. */
    private static Thread serve(String name, Held remote, PipedInputStream in, PipedOutputStream out, Serving serving) {
        Thread worker = new Thread(() -> {
            try {
                serving.run();
            } catch (IOException | RuntimeException e) {
                // the client's side reports the failure, in JGit's words, to the sync that asked
                LOG.debug("{} ended: {}", name, e.toString());
            } finally {
                closeQuietly(in);
                closeQuietly(out);
                remote.release();
            }
        }, name);
        worker.setDaemon(true);
        worker.start();
        return worker;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException alreadyBroken) {
            // the other side is gone already
        }
    }

    private static Thread join(Thread worker) {
        if (worker != null) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }
}
