package com.digitalfte.draft;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How many new tasks an agent claims at once, and which: its room, its share of a shared queue, what waited too long. */
class ClaimShareTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void anAgentAloneHoldsTheTasksItDraftsAndAsManyAgainQueuedBehindThem() throws Exception {
        Vault vault = vault();
        List<String> queue = queue(vault, 20);
        ClaimShare share = new ClaimShare(vault, "cloud", Duration.ofMinutes(10), 4, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(share.choose(queue)).hasSize(8);
        for (int i = 0; i < 5; i++) {
            Files.writeString(vault.inProgress("cloud").resolve("EMAIL_held" + i + ".md"), "held");
        }
        assertThat(share.choose(queue)).hasSize(3);
        for (int i = 5; i < 9; i++) {
            Files.writeString(vault.inProgress("cloud").resolve("EMAIL_held" + i + ".md"), "held");
        }
        assertThat(share.choose(queue)).isEmpty();
    }

    @Test
    void agentsSharingTheQueueReachForTheirOwnShareFirstAndForTheOthersOnlyAfterTheGrace() throws Exception {
        Vault vault = vault();
        aliveFor30Seconds(vault, "cloud-a", "cloud-b");
        List<String> queue = queue(vault, 40);
        ClaimShare a = new ClaimShare(vault, "cloud-a", Duration.ofMinutes(10), 20, Clock.fixed(NOW, ZoneOffset.UTC));
        ClaimShare b = new ClaimShare(vault, "cloud-b", Duration.ofMinutes(10), 20, Clock.fixed(NOW, ZoneOffset.UTC));

        List<Path> forA = a.choose(queue);
        List<Path> forB = b.choose(queue);
        assertThat(forA).isNotEmpty().doesNotContainAnyElementsOf(forB);
        assertThat(forA.size() + forB.size()).isEqualTo(40);

        // B is gone quiet: what waited past the grace is A's too
        for (Path file : forB) {
            Files.setLastModifiedTime(file, FileTime.from(NOW.minus(ClaimShare.GRACE)));
        }
        assertThat(a.choose(queue)).hasSize(40);
    }

    @Test
    void anAgentWithRoomAndNothingOfItsOwnTakesFromTheBackOfAShareItsAgentHasNoRoomFor() throws Exception {
        Vault vault = vault();
        aliveFor30Seconds(vault, "cloud-a", "cloud-b");
        List<String> queue = queue(vault, 40);
        ClaimShare a = new ClaimShare(vault, "cloud-a", Duration.ofMinutes(10), 2, Clock.fixed(NOW, ZoneOffset.UTC));
        ClaimShare b = new ClaimShare(vault, "cloud-b", Duration.ofMinutes(10), 2, Clock.fixed(NOW, ZoneOffset.UTC));
        List<Path> ownOfB = b.choose(queue);
        assertThat(ownOfB).hasSize(4);

        // A's own share is gone (claimed, drafted); B holds four and has no room: A helps from the back of B's share
        List<String> left = new ArrayList<>(queue);
        List<Path> shareOfB = new ArrayList<>();
        for (String name : queue) {
            Path file = vault.folder(Folder.NEEDS_ACTION).resolve(name);
            if (a.choose(List.of(name)).isEmpty() || ownOfB.contains(file)) {
                shareOfB.add(file);
            } else {
                left.remove(name);
            }
        }
        Files.createDirectories(vault.inProgress("cloud-b"));
        for (Path file : ownOfB) {
            Files.move(file, vault.inProgress("cloud-b").resolve(file.getFileName()));
            left.remove(file.getFileName().toString());
        }
        shareOfB.removeAll(ownOfB);
        List<Path> helped = a.choose(left);
        assertThat(b.choose(left)).isEmpty();
        assertThat(helped).hasSize(4)
                .containsExactlyElementsOf(shareOfB.stream().sorted(java.util.Comparator.reverseOrder()).limit(4).toList());

        // B has room again for all of its share that is left: A leaves it alone
        for (Path held : ownOfB) {
            Files.delete(vault.inProgress("cloud-b").resolve(held.getFileName()));
        }
        List<String> small = shareOfB.stream().limit(3).map(f -> f.getFileName().toString()).toList();
        assertThat(a.choose(small)).isEmpty();
        assertThat(b.choose(small)).hasSize(3);
    }

    /** Heartbeats of drafting agents last seen half a minute ago. */
    private static void aliveFor30Seconds(Vault vault, String... agents) throws Exception {
        Files.createDirectories(vault.heartbeats());
        for (String agent : agents) {
            Files.writeString(vault.heartbeats().resolve(agent + ".json"),
                    "{\"agent\":\"" + agent + "\",\"type\":\"cloud\",\"last_seen\":\"" + NOW.minusSeconds(30) + "\"}");
        }
    }

    private Vault vault() {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        try {
            Files.createDirectories(vault.inProgress("cloud"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return vault;
    }

    private static List<String> queue(Vault vault, int n) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = vault.folder(Folder.NEEDS_ACTION).resolve("EMAIL_q" + i + ".md");
            Files.writeString(file, "task");
            Files.setLastModifiedTime(file, FileTime.from(NOW));
            names.add(file.getFileName().toString());
        }
        return names;
    }
}
