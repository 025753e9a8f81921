package com.digitalfte.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One id, one folder. After a pull, a task may sit in two folders (git merges do not follow renames:
 * two clones that moved one file to two places both keep theirs). The repair keeps the copy in the
 * later state (Done &gt; Failed &gt; Rejected &gt; Approved &gt; Pending_Approval &gt; Updates &gt;
 * In_Progress &gt; Needs_Action); between two claims, the one the remote already had.
 */
public final class VaultInvariant {

    /** One repair: the id, the copy kept, the copies removed (vault-relative paths). */
    public record Repair(String id, String kept, List<String> removed) {
    }

    private final Vault vault;

    public VaultInvariant(Vault vault) {
        this.vault = vault;
    }

    /** Finds every id in more than one place and removes all but one copy; {@code onRemote} breaks ties. */
    public List<Repair> repair(Predicate<String> onRemote) {
        Map<String, List<Located>> byId = new HashMap<>();
        for (Folder f : Folder.values()) {
            if (f == Folder.IN_PROGRESS) {
                for (Path agentDir : list(vault.folder(f), Files::isDirectory)) {
                    for (Path file : list(agentDir, VaultInvariant::isTaskFile)) {
                        add(byId, file, f);
                    }
                }
            } else {
                for (Path file : list(vault.folder(f), VaultInvariant::isTaskFile)) {
                    add(byId, file, f);
                }
            }
        }
        List<Repair> repairs = new ArrayList<>();
        for (Map.Entry<String, List<Located>> e : byId.entrySet()) {
            List<Located> copies = e.getValue();
            if (copies.size() < 2) {
                continue;
            }
            Located keep = copies.stream().max(Comparator
                    .comparingInt((Located l) -> l.folder().ordinal())
                    .thenComparing(l -> onRemote.test(relative(l.path())))
                    .thenComparing(l -> relative(l.path()), Comparator.reverseOrder())).orElseThrow();
            List<String> removed = new ArrayList<>();
            for (Located l : copies) {
                if (l != keep) {
                    try {
                        Files.deleteIfExists(l.path());
                        removed.add(relative(l.path()));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
            repairs.add(new Repair(e.getKey(), relative(keep.path()), removed));
        }
        return repairs;
    }

    private record Located(Path path, Folder folder) {
    }

    private static void add(Map<String, List<Located>> byId, Path file, Folder folder) {
        String id = file.getFileName().toString().replaceFirst("\\.md$", "");
        byId.computeIfAbsent(id, k -> new ArrayList<>()).add(new Located(file, folder));
    }

    private static boolean isTaskFile(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".md") && !name.startsWith(".") && Files.isRegularFile(p);
    }

    private String relative(Path p) {
        return vault.root().relativize(p).toString().replace('\\', '/');
    }

    private static List<Path> list(Path dir, DirectoryStream.Filter<Path> filter) {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, filter)) {
            s.forEach(result::add);
        } catch (NoSuchFileException e) {
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
