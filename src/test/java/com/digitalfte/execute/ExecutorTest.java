package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.OutcomeUnknownException;
import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor contract, with a provider whose every answer the test decides. */
class ExecutorTest {

    @TempDir
    Path dir;

    private Vault vault;
    private Ledger ledger;
    private Executor executor;
    private final Recording provider = new Recording();

    /** A provider that posts the draft and answers as told; it counts its calls. */
    private static final class Recording implements Action {
        final List<String> calls = new ArrayList<>();
        Exception failWith;
        Reconciled reconciled = Reconciled.callAgain();
        boolean reconciles;

        @Override
        public String name() {
            return "test_post";
        }

        @Override
        public String logFile() {
            return "test_posts.jsonl";
        }

        @Override
        public Request request(TaskFile task) {
            String text = task.section(TaskFile.DRAFT).orElseThrow();
            return new Request(text, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Object call(Execution execution) throws Exception {
            calls.add((String) execution.payload());
            if (failWith != null) {
                throw failWith;
            }
            return "post-" + calls.size();
        }

        @Override
        public Sent sent(Execution execution, Object response) {
            return new Sent((String) response, Map.of("post_id", (String) response));
        }

        @Override
        public Failure classify(Exception error) {
            return switch (error.getMessage()) {
                case "429" -> Failure.retry("the provider asks to wait");
                case "400" -> Failure.refused("the provider refused: text too long");
                default -> Failure.maybeDone("no answer in time");
            };
        }

        @Override
        public Reconciled reconcile(TaskFile task, Ledger.Entry intent) {
            return reconciled;
        }

        @Override
        public boolean reconciles() {
            return reconciles;
        }
    }

    @BeforeEach
    void setUp() {
        vault = new Vault(dir);
        vault.init("local", false);
        ledger = new Ledger(vault.state().resolve("ledger.jsonl"));
        executor = new Executor(vault, ledger, new AuditLog(vault.logs(), "local"), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        ledger.close();
    }

    private String claimed(String id, String draft) throws Exception {
        return vault.write(vault.inProgress("local"), TaskFile.create(id, "test_post").with("approved_by", "whatsapp:+15550001111")
                .withSection(TaskFile.DRAFT, draft)).toString();
    }

    @Test
    void anApprovedTaskIsDoneOnceWithWhatWasSentRecorded() throws Exception {
        String path = claimed("POST_1", "Hello world");
        executor.run(path, provider);

        assertThat(provider.calls).containsExactly("Hello world");
        TaskFile done = vault.read(vault.file(Folder.DONE, "POST_1"));
        assertThat(done.section(TaskFile.RESULT)).hasValueSatisfying(r -> assertThat(r)
                .contains("post_id: post-1", "draft_sha256: " + TaskIds.sha256("Hello world")));
        assertThat(ledger.find("POST_1")).hasValueSatisfying(e -> assertThat(e.done()).isTrue());
        assertThat(JsonLines.tail(vault.logs().resolve(LocalDate.now(ZoneOffset.UTC) + ".json"), 10))
                .anySatisfy(l -> assertThat(l).containsEntry("action_type", "test_post").containsEntry("approved_by", "whatsapp:+15550001111"));
        assertThat(JsonLines.tail(vault.logs().resolve("test_posts.jsonl"), 10)).singleElement()
                .satisfies(l -> assertThat(l).containsEntry("task_id", "POST_1").containsEntry("provider_id", "post-1"));

        // approved again by mistake (the owner copied it back): the ledger says done, nothing is called
        String again = claimed("POST_1", "Hello world");
        executor.run(again, provider);
        assertThat(provider.calls).hasSize(1);
        assertThat(vault.read(vault.file(Folder.DONE, "POST_1")).section(TaskFile.RESULT)).hasValueSatisfying(r -> assertThat(r)
                .contains("done before a restart"));
    }

    @Test
    void anIntentWithoutDoneIsLookedUpBeforeAnythingIsCalledAgain() throws Exception {
        ledger.intent("POST_2", "test_post");
        provider.reconciled = Action.Reconciled.done(new Action.Sent("post-77", Map.of("post_id", "post-77")));
        executor.run(claimed("POST_2", "text"), provider);
        assertThat(provider.calls).isEmpty();
        assertThat(vault.read(vault.file(Folder.DONE, "POST_2")).section(TaskFile.RESULT)).hasValueSatisfying(r -> assertThat(r)
                .contains("post_id: post-77", "found done after a restart"));

        ledger.intent("POST_3", "test_post");
        provider.reconciled = Action.Reconciled.unknown("the provider cannot tell");
        String path = claimed("POST_3", "text");
        assertThatThrownBy(() -> executor.run(path, provider)).isInstanceOf(OutcomeUnknownException.class).hasMessage("the provider cannot tell");
        assertThat(provider.calls).isEmpty();

        // the owner checked and moved it back: it is done without the lookup
        vault.write(vault.inProgress("local"), vault.read(Path.of(path)).with("uncertain", true));
        executor.run(path, provider);
        assertThat(provider.calls).containsExactly("text");
        assertThat(vault.read(vault.file(Folder.DONE, "POST_3")).frontMatter()).doesNotContainKey("uncertain");
    }

    @Test
    void aFailureIsRetriedRefusedOrUncertainAsTheProviderSays() throws Exception {
        provider.failWith = new IllegalStateException("429");
        assertThatThrownBy(() -> executor.run(claimed("POST_4", "a"), provider)).isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("the provider asks to wait");
        assertThat(ledger.find("POST_4")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo("not_sent"));

        provider.failWith = new IllegalStateException("400");
        assertThatThrownBy(() -> executor.run(claimed("POST_5", "b"), provider)).isInstanceOf(Executor.RefusedException.class)
                .hasMessage("the provider refused: text too long");
        assertThat(ledger.find("POST_5")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo("not_sent"));

        provider.failWith = new IllegalStateException("timeout");
        assertThatThrownBy(() -> executor.run(claimed("POST_6", "c"), provider)).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageStartingWith("no answer in time. It may have been done");
        assertThat(ledger.find("POST_6")).hasValueSatisfying(e -> assertThat(e.interrupted()).isTrue());

        // where the provider can be asked, a maybe is tried again: the next try looks it up first
        provider.reconciles = true;
        provider.reconciled = Action.Reconciled.done(new Action.Sent("post-9", Map.of()));
        String path = claimed("POST_7", "d");
        assertThatThrownBy(() -> executor.run(path, provider)).isInstanceOf(ProviderUnavailableException.class);
        provider.failWith = null;
        executor.run(path, provider);
        assertThat(provider.calls).containsExactly("a", "b", "c", "d");
        assertThat(vault.read(vault.file(Folder.DONE, "POST_7")).section(TaskFile.RESULT)).hasValueSatisfying(r -> assertThat(r)
                .contains("found done after a restart"));
    }
}
