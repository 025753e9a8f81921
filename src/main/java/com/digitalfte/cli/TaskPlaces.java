package com.digitalfte.cli;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where each task of the vault is (its folder, a claim folder as {@code In_Progress/<agent>}), to tell what a sync moved. */
final class TaskPlaces {

    private TaskPlaces() {
    }

    static Map<String, String> of(Vault vault) throws IOException {
        Map<String, String> places = new TreeMap<>();
        for (Folder f : Folder.values()) {
            Path dir = vault.folder(f);
            if (f == Folder.IN_PROGRESS && Files.isDirectory(dir)) {
                try (DirectoryStream<Path> agents = Files.newDirectoryStream(dir, Files::isDirectory)) {
                    for (Path agent : agents) {
                        add(places, agent, f.dirName() + "/" + agent.getFileName());
                    }
                }
            } else {
                add(places, dir, f.dirName());
            }
        }
        return places;
    }

    /** One line per task that appeared, moved or went: {@code EMAIL_x  Pending_Approval -> Approved}. */
    static List<String> moves(Map<String, String> before, Map<String, String> after) {
        List<String> lines = new ArrayList<>();
        Map<String, String> all = new TreeMap<>(before);
        all.putAll(after);
        all.keySet().forEach(id -> {
            String was = before.get(id);
            String is = after.get(id);
            if (was == null) {
                lines.add(id + "  new in " + is);
            } else if (is == null) {
                lines.add(id + "  gone from " + was);
            } else if (!was.equals(is)) {
                lines.add(id + "  " + was + " -> " + is);
            }
        });
        return lines;
    }

    private static void add(Map<String, String> places, Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.md")) {
            for (Path f : files) {
                places.put(f.getFileName().toString().replaceFirst("\\.md$", ""), name);
            }
        }
    }
}
