package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.DigitalFte;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.Settings;
import com.digitalfte.draft.Drafter;
import com.digitalfte.draft.Handbook;
import com.digitalfte.draft.TemplateDrafter;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.TestPorts;
import com.digitalfte.vault.TaskFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cloud agents, each on its own clone of one bare remote, race for the same tasks with real
 * concurrent pushes (150 in mvn test, 1,000 with -Pbench): every task is drafted exactly once, none
 * is lost, none ends in two folders, no agent starts drafting a task before its claim is on the
 * remote, and every agent's last sync went through.
 */
class ClaimRaceTest {

    private static final int TASKS = Integer.getInteger("race.tasks", 150);
    private static final List<String> AGENTS = List.of("cloud-a", "cloud-b", "cloud-c").subList(0, Integer.getInteger("race.agents", 3));

    @TempDir
    Path dir;

    private final Map<String, List<String>> draftedBy = new ConcurrentHashMap<>();
    private final Queue<String> draftedBeforeClaimPushed = new ConcurrentLinkedQueue<>();

    /** Drafts like the template drafter, after checking that the claim it works on is on the remote. */
    private Drafter checking(Path remote, String agent) {
        TemplateDrafter template = new TemplateDrafter();
        return new Drafter() {
            @Override
            public String name() {
                return template.name();
            }

            @Override
            public String draft(TaskFile task, Handbook handbook) {
                draftedBy.computeIfAbsent(task.id(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(agent);
                if (!onRemote(remote, "In_Progress/" + agent + "/" + task.id() + ".md")) {
                    draftedBeforeClaimPushed.add(agent + ":" + task.id());
                }
                return template.draft(task, handbook);
            }
        };
    }

    private static boolean onRemote(Path bare, String path) {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve("refs/heads/main");
            try (TreeWalk tw = TreeWalk.forPath(repo, path, walk.parseCommit(head).getTree())) {
                return tw != null;
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void threeAgentsDraftEveryTaskExactlyOnce() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        GitCli.run(remote, "config", "receive.autogc", "false");
        Path seed = GitCli.cloneOf(remote, dir, "seed");
        Files.createDirectories(seed.resolve("Needs_Action"));
        for (int i = 0; i < TASKS; i++) {
            String id = String.format("EMAIL_race%04d", i);
            Files.writeString(seed.resolve("Needs_Action/" + id + ".md"), TaskFile.create(id, "email_reply")
                    .with("channel", "imap").with("from", "client" + i + "@example.com").with("subject", "Question " + i)
                    .withSection(TaskFile.ORIGINAL, "Question number " + i).render());
        }
        GitCli.run(seed, "add", "-A");
        GitCli.run(seed, "commit", "-q", "-m", "the tasks");
        GitCli.run(seed, "push", "-q", "origin", "main");

        List<Path> clones = new ArrayList<>();
        List<DigitalFte> agents = new ArrayList<>();
        try {
            for (String name : AGENTS) {
                Path clone = GitCli.cloneOf(remote, dir, name);
                clones.add(clone);
                Map<String, String> env = new HashMap<>();
                env.put("AGENT_TYPE", "cloud");
                env.put("AGENT_NAME", name);
                env.put("VAULT_PATH", clone.toString());
                env.put("GIT_REMOTE", "origin");
                env.put("VAULT_SYNC_INTERVAL", "5");
                env.put("HEARTBEAT_INTERVAL", "30");
                env.put("MAIL_PROVIDER", "imap");
                env.put("CHANNELS_DIR", dir.resolve("no-channels").toString());
                TestPorts.addTo(env);
                DigitalFte agent = new DigitalFte(AgentConfig.from(Settings.of(env)), checking(remote, name));
                agent.start();
                agents.add(agent);
            }
            long start = System.nanoTime();
            // about 0.2 s a task on this machine kind: a limit of 1 s a task keeps the run far from it
            await().atMost(Duration.ofSeconds(60 + TASKS)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<String> files = GitCli.filesOn(remote, "main");
                return files.stream().filter(f -> f.matches("Updates/EMAIL_race\\d{4}\\.md")).count() == TASKS
                        && files.stream().noneMatch(f -> f.startsWith("Needs_Action/") || f.startsWith("In_Progress/"));
            });
            System.out.printf("ClaimRaceTest: %d tasks drafted by %d agents through one bare remote in %.1f s%n",
                    TASKS, AGENTS.size(), (System.nanoTime() - start) / 1e9);
        } finally {
            for (DigitalFte a : agents) {
                a.stop();
            }
        }

        for (Path clone : clones) {
            List<Map<String, Object>> syncs = com.digitalfte.audit.JsonLines.tail(clone.resolve("Logs/vault_sync.jsonl"), 100_000);
            System.out.println("ClaimRaceTest: " + clone.getFileName() + ": " + syncs.size() + " syncs, of which gave up after 5 rejected pushes: "
                    + syncs.stream().filter(l -> String.valueOf(l.get("error")).contains("rejected the push")).count());
        }
        assertThat(draftedBeforeClaimPushed).as("drafted before the claim was on the remote").isEmpty();
        assertThat(draftedBy).hasSize(TASKS);
        assertThat(draftedBy.entrySet().stream().filter(e -> e.getValue().size() != 1).map(Map.Entry::getKey).toList())
                .as("drafted more than once").isEmpty();
        Map<String, Long> perAgent = draftedBy.values().stream().collect(Collectors.groupingBy(l -> l.get(0), Collectors.counting()));
        System.out.println("ClaimRaceTest: drafts per agent " + perAgent);

        List<String> files = GitCli.filesOn(remote, "main");
        Map<String, Long> copies = files.stream().filter(f -> f.endsWith(".md") && f.contains("EMAIL_race"))
                .collect(Collectors.groupingBy(f -> f.replaceAll(".*/", ""), Collectors.counting()));
        assertThat(copies).hasSize(TASKS).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        // what the owner gets to approve is the draft its claimant made, for every task
        String drafts = GitCli.run(remote, "grep", "-h", "-e", "^id: ", "-e", "^drafted_on: ", "main", "--", "Updates/");
        Map<String, String> draftedOn = new HashMap<>();
        String[] lines = drafts.strip().split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            draftedOn.put(lines[i].replace("main:", "").replace("id: ", "").strip(), lines[i + 1].replace("drafted_on: ", "").strip());
        }
        assertThat(draftedOn).hasSize(TASKS);
        draftedBy.forEach((id, drafters) -> assertThat(draftedOn.get(id)).as(id).isEqualTo(drafters.get(0)));
    }
}
