package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.LogCapture;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner edits the same note on two machines: nothing either side wrote is lost, and the owner is told. */
class VaultMergeTest {

    private static final String HANDBOOK = """
            # Company Handbook

            ## Tone

            Friendly and short.

            ## Signature

            Best regards,
            The assistant
            """;

    @TempDir
    Path dir;

    private Path remote;
    private Path laptop;
    private Path cloud;
    private final List<String> conflicts = new ArrayList<>();

    private final SyncListener listener = new SyncListener() {
        @Override
        public void conflicted(String vaultPath, String otherSideAt) {
            conflicts.add(vaultPath + " -> " + otherSideAt);
        }
    };

    @BeforeEach
    void twoClonesOfOneHandbook() throws Exception {
        remote = GitCli.bareRemote(dir, "vault.git");
        Path seed = GitCli.cloneOf(remote, dir, "seed");
        Files.writeString(seed.resolve("Company_Handbook.md"), HANDBOOK);
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "handbook");
        GitCli.run(seed, "push", "-q", "origin", "main");
        laptop = GitCli.cloneOf(remote, dir, "laptop");
        cloud = GitCli.cloneOf(remote, dir, "cloud");
    }

    private VaultSync sync(Path clone, String agent) {
        return new VaultSync(new Vault(clone), new VaultSync.Options("origin", "main", agent, 30, java.time.Duration.ofSeconds(60)),
                clone.resolve("Logs/vault_sync.jsonl"), new com.digitalfte.secrets.SecretGuard(List.of()), listener, CommitFilter.ALL);
    }

    private static void edit(Path clone, String from, String to) throws Exception {
        Path f = clone.resolve("Company_Handbook.md");
        Files.writeString(f, Files.readString(f).replace(from, to));
    }

    private static List<Path> conflictCopies(Path clone) throws Exception {
        try (Stream<Path> files = Files.list(clone)) {
            return files.filter(p -> p.getFileName().toString().startsWith("Company_Handbook (conflict ")).toList();
        }
    }

    @Test
    void editsOfDifferentLinesAreBothKept() throws Exception {
        edit(laptop, "Friendly and short.", "Friendly, short, and always in the customer's language.");
        edit(cloud, "The assistant", "The assistant of Acme Ltd");
        try (VaultSync a = sync(laptop, "local"); VaultSync b = sync(cloud, "cloud")) {
            assertThat(a.sync().ok()).isTrue();
            assertThat(b.sync().ok()).isTrue();
            assertThat(a.sync().ok()).isTrue();
        }
        for (Path clone : List.of(laptop, cloud)) {
            assertThat(clone.resolve("Company_Handbook.md")).content()
                    .contains("always in the customer's language", "The assistant of Acme Ltd");
            assertThat(conflictCopies(clone)).isEmpty();
        }
        assertThat(conflicts).isEmpty();
    }

    @Test
    void editsOfTheSameLinesKeepThisSideInTheFileAndTheOtherSideInACopyBesideIt() throws Exception {
        edit(laptop, "Friendly and short.", "Formal, always.");
        edit(cloud, "Friendly and short.", "Casual and funny.");
        try (LogCapture log = LogCapture.of(VaultMerge.class); VaultSync a = sync(laptop, "local"); VaultSync b = sync(cloud, "cloud")) {
            assertThat(b.sync().ok()).isTrue();
            assertThat(a.sync().ok()).isTrue();
            assertThat(b.sync().ok()).isTrue();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN").contains("Company_Handbook.md", "cloud", "(conflict cloud "));
        }
        // the laptop merged: its text stays in the file, the cloud's is in the copy; the cloud then took the merge
        for (Path clone : List.of(laptop, cloud)) {
            assertThat(clone.resolve("Company_Handbook.md")).content().contains("Formal, always.").doesNotContain("Casual and funny.", "<<<<<<<");
            assertThat(conflictCopies(clone)).singleElement().satisfies(copy -> {
                assertThat(copy.getFileName().toString()).matches("Company_Handbook \\(conflict cloud \\d{4}-\\d{2}-\\d{2}T\\d{4}Z\\)\\.md");
                assertThat(copy).content().contains("Casual and funny.").doesNotContain("Formal, always.");
            });
        }
        assertThat(conflicts).singleElement().satisfies(c -> assertThat(c).startsWith("Company_Handbook.md -> Company_Handbook (conflict cloud "));
        assertThat(GitCli.filesOn(remote, "main")).anyMatch(f -> f.startsWith("Company_Handbook (conflict cloud "));
    }

    @Test
    void aNoteDeletedOnOneSideAndEditedOnTheOtherIsKept() throws Exception {
        Files.delete(laptop.resolve("Company_Handbook.md"));
        edit(cloud, "Friendly and short.", "Edited on the cloud.");
        try (VaultSync a = sync(laptop, "local"); VaultSync b = sync(cloud, "cloud")) {
            assertThat(a.sync().ok()).isTrue();
            assertThat(b.sync().ok()).isTrue();
            assertThat(a.sync().ok()).isTrue();
        }
        assertThat(laptop.resolve("Company_Handbook.md")).content().contains("Edited on the cloud.");
        assertThat(cloud.resolve("Company_Handbook.md")).content().contains("Edited on the cloud.");
    }
}
