package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {

    @TempDir
    Path dir;

    @Test
    void whatIsHeldBackIsListedFromDiskUntilTheOwnerDeletesIt() throws Exception {
        Files.createDirectories(dir.resolve("Plans"));
        Path note = Files.writeString(dir.resolve("Plans/keys.md"), "a note\n");
        Path held = new Quarantine(dir).holdBack(note, "Plans/keys.md", "openai-api-key", 3);
        Path original = new Quarantine(dir).keepOriginal("Needs_Action/EMAIL_1.md", "the original\n", "openai-api-key");

        assertThat(note).doesNotExist();
        assertThat(held).hasContent("a note");
        assertThat(original).hasContent("the original");
        // a new instance, as after a restart, sees both
        assertThat(new Quarantine(dir).entries()).extracting(Quarantine.Entry::kind, Quarantine.Entry::vaultPath, Quarantine.Entry::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Quarantine.HELD, "Plans/keys.md", "openai-api-key"),
                        org.assertj.core.groups.Tuple.tuple(Quarantine.REDACTED, "Needs_Action/EMAIL_1.md", "openai-api-key"));
        assertThat(new Quarantine(dir).entries().get(0).file()).startsWith(".state/quarantine/").endsWith("_Plans_keys.md");

        Files.delete(held);
        assertThat(new Quarantine(dir).entries()).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo(Quarantine.REDACTED));
    }
}
