package com.digitalfte.sync;

import com.digitalfte.vault.Folder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeFormatter;
import org.eclipse.jgit.merge.MergeResult;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the remote's commits into the vault, path by path over the vault's files only, so that
 * nothing is lost without a word. A file changed on one side takes that side's version; a file
 * changed on both is merged line by line, and where the two edits overlap this machine's text stays
 * in the file and the other side's is kept beside it: for the owner's own notes (the handbook, the
 * goals, the rates, a plan) as a conflict copy they see in Obsidian, {@code Company_Handbook
 * (conflict cloud 2026-12-01T0930Z).md}; for a task file (one writer per folder, so this is rare) in
 * {@code .state/conflicts/}. A file one side deleted and the other changed is kept. Git's own merge
 * does none of this, and does not follow renames either: the invariant check after the pull settles
 * a task moved to two folders.
 *
 * <p>The remote's changes outside the vault are never taken: when the vault is a folder of the
 * owner's work tree, the owner pulls those.
 */
final class VaultMerge {

    private static final Logger LOG = LoggerFactory.getLogger(VaultMerge.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    /** One overlap: the file, and where the other side's text is now (vault-relative). */
    record Conflict(String vaultPath, String otherSideAt) {
    }

    /** What the merge did: the commits that came in, the files written here, the overlaps kept. */
    record Outcome(int incoming, List<String> changed, List<Conflict> conflicts) {
        static final Outcome NONE = new Outcome(0, List.of(), List.of());
    }

    private final VaultRepository repo;
    private final Clock clock;

    VaultMerge(VaultRepository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    /**
     * Merges {@code theirs} (the remote's branch) into HEAD and checks out what changed: the files
     * first, HEAD after. A checkout cut short (a full disk, a path in the way) leaves HEAD where it
     * was, so the next sync checks the same files out again; with HEAD moved first, the files not
     * yet written looked deleted here, and the next commit deleted them on the remote too.
     */
    Outcome merge(ObjectId theirs, String otherSide) throws IOException, RemoteException {
        if (theirs == null) {
            return Outcome.NONE;
        }
        ObjectId ours = repo.head();
        if (ours == null) {
            // nothing committed here yet: start from the remote's history
            List<String> written = repo.checkOut(null, theirs);
            repo.moveHead(null, theirs, "sync: start from the remote");
            return new Outcome(repo.count(theirs, null), written, List.of());
        }
        int incoming = repo.count(theirs, ours);
        if (incoming == 0) {
            return Outcome.NONE;
        }
        try (RevWalk walk = new RevWalk(repo.repo())) {
            RevCommit o = walk.parseCommit(ours);
            RevCommit t = walk.parseCommit(theirs);
            RevCommit base = mergeBase(walk, o, t);
            String outside = repo.firstChangeOutsideVault(base == null ? o : base, t);
            if (outside != null) {
                throw new RemoteException.Refused("the remote's branch changes files outside the vault (" + outside
                        + "): the agent syncs the vault only; pull those yourself (git -C " + repo.repo().getWorkTree() + " pull)", null);
            }
            if (base != null && base.equals(o)) {
                List<String> written = repo.checkOut(ours, theirs);
                repo.moveHead(ours, theirs, "sync: fast-forward");
                return new Outcome(incoming, written, List.of());
            }
            List<Conflict> conflicts = new ArrayList<>();
            ObjectId merged = threeWay(base, o, t, otherSide, conflicts);
            List<String> written = repo.checkOut(ours, merged);
            repo.moveHead(ours, merged, "sync: merge");
            return new Outcome(incoming, written, conflicts);
        }
    }

    private static RevCommit mergeBase(RevWalk walk, RevCommit a, RevCommit b) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(a);
        walk.markStart(b);
        RevCommit base = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return base;
    }

    /** The merge commit of ours and theirs, built over the vault's paths. */
    private ObjectId threeWay(RevCommit base, RevCommit ours, RevCommit theirs, String otherSide, List<Conflict> conflicts)
            throws IOException {
        Map<String, ObjectId> edits = new LinkedHashMap<>();
        try (ObjectInserter inserter = repo.repo().newObjectInserter(); ObjectReader reader = inserter.newReader();
             TreeWalk tw = new TreeWalk(reader)) {
            tw.setRecursive(true);
            if (base == null) {
                tw.addTree(new EmptyTreeIterator());
            } else {
                tw.addTree(base.getTree());
            }
            tw.addTree(ours.getTree());
            tw.addTree(theirs.getTree());
            tw.setFilter(repo.vaultDiff());
            while (tw.next()) {
                String path = tw.getPathString();
                ObjectId b = blob(tw, 0);
                ObjectId o = blob(tw, 1);
                ObjectId t = blob(tw, 2);
                if (Objects.equals(o, t) || Objects.equals(b, t)) {
                    continue;
                }
                if (Objects.equals(b, o)) {
                    edits.put(path, t);
                    continue;
                }
                if (o == null || t == null) {
                    // changed on one side, deleted on the other: the file is kept, never lost
                    edits.put(path, o == null ? t : o);
                    LOG.warn("{} was deleted on one side and changed on the other; the changed file is kept", repo.vaultPath(path));
                    continue;
                }
                byte[] baseText = b == null ? new byte[0] : reader.open(b, Constants.OBJ_BLOB).getBytes();
                byte[] ourText = reader.open(o, Constants.OBJ_BLOB).getBytes();
                byte[] theirText = reader.open(t, Constants.OBJ_BLOB).getBytes();
                byte[] lines = mergedLines(baseText, ourText, theirText);
                if (lines != null) {
                    edits.put(path, inserter.insert(Constants.OBJ_BLOB, lines));
                    continue;
                }
                conflicts.add(keepOtherSide(path, theirText, t, otherSide, edits));
            }
            DirCache tree = DirCache.newInCore();
            DirCacheBuilder builder = tree.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, ours.getTree());
            builder.finish();
            DirCacheEditor editor = tree.editor();
            edits.forEach((path, blob) -> editor.add(blob == null ? new DirCacheEditor.DeletePath(path) : new DirCacheEditor.PathEdit(path) {
                @Override
                public void apply(DirCacheEntry entry) {
                    entry.setFileMode(FileMode.REGULAR_FILE);
                    entry.setObjectId(blob);
                }
            }));
            editor.finish();
            ObjectId merged = inserter.insert(repo.commitOf(tree.writeTree(inserter),
                    "merge " + otherSide + (conflicts.isEmpty() ? "" : " (" + conflicts.size() + " overlapping edit(s) kept side by side)"),
                    ours, theirs));
            inserter.flush();
            return merged;
        }
    }

    /** Both edits line by line, or null where they overlap (or a file is not text). */
    private static byte[] mergedLines(byte[] base, byte[] ours, byte[] theirs) throws IOException {
        if (RawText.isBinary(base) || RawText.isBinary(ours) || RawText.isBinary(theirs)) {
            return null;
        }
        MergeResult<RawText> result = new MergeAlgorithm().merge(RawTextComparator.DEFAULT,
                new RawText(base), new RawText(ours), new RawText(theirs));
        if (result.containsConflicts()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MergeFormatter().formatMerge(out, result, Arrays.asList("base", "ours", "theirs"), StandardCharsets.UTF_8);
        return out.toByteArray();
    }

    /** This machine's text stays; the other side's goes beside it (an owner's note) or into .state/conflicts/ (a task). */
    private Conflict keepOtherSide(String path, byte[] theirText, ObjectId theirBlob, String otherSide, Map<String, ObjectId> edits)
            throws IOException {
        String vaultPath = repo.vaultPath(path);
        String stamp = STAMP.format(clock.instant());
        if (ownersNote(vaultPath)) {
            String copy = conflictCopyName(vaultPath, otherSide, stamp);
            edits.put(repo.prefix() + copy, theirBlob);
            LOG.warn("{} was edited here and on {} at the same lines: this machine's text is kept, the other side's is in '{}' beside it",
                    vaultPath, otherSide, copy);
            return new Conflict(vaultPath, copy);
        }
        Path kept = repo.vault().state().resolve("conflicts").resolve(stamp + "_" + otherSide + "_" + vaultPath.replace('/', '_'));
        Files.createDirectories(kept.getParent());
        repo.vault().writeAtomically(kept, theirText);
        String at = repo.vault().root().relativize(kept).toString().replace('\\', '/');
        LOG.warn("{} was changed here and on {} at the same lines: this machine's version is kept, the other side's is in {}",
                vaultPath, otherSide, at);
        return new Conflict(vaultPath, at);
    }

    /** A file the owner writes, not a task in a state folder, the Dashboard or the agent's own .gitignore. */
    static boolean ownersNote(String vaultPath) {
        if (vaultPath.equals("Dashboard.md") || vaultPath.equals(".gitignore")) {
            return false;
        }
        for (Folder f : Folder.values()) {
            if (vaultPath.startsWith(f.dirName() + "/")) {
                return false;
            }
        }
        return true;
    }

    /** {@code Company_Handbook (conflict cloud 2026-12-01T0930Z).md}, next to the file. */
    private String conflictCopyName(String vaultPath, String otherSide, String stamp) {
        int slash = vaultPath.lastIndexOf('/');
        String dir = slash < 0 ? "" : vaultPath.substring(0, slash + 1);
        String name = vaultPath.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String candidate = dir + stem + " (conflict " + otherSide + " " + stamp + ")" + ext;
        for (int n = 2; Files.exists(repo.vault().root().resolve(candidate)); n++) {
            candidate = dir + stem + " (conflict " + otherSide + " " + stamp + " " + n + ")" + ext;
        }
        return candidate;
    }

    private static ObjectId blob(TreeWalk tw, int i) {
        FileMode mode = tw.getFileMode(i);
        return mode == FileMode.MISSING || (mode.getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE ? null : tw.getObjectId(i);
    }
}
