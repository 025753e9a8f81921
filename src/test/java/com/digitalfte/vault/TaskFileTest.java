package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskFileTest {

    @Test
    void roundTripKeepsFrontMatterAndSections() throws Exception {
        TaskFile task = TaskFile.create("EMAIL_18c2f9a0b1c2d3e4", "email_reply")
                .with("from", "Alice <alice@corp.example.com>")
                .with("subject", "Project: Proposal #1")
                .with("message_id", "<CAF1x@mail.gmail.com>")
                .with("created", "2026-01-18T09:00:12Z")
                .withSection(TaskFile.ORIGINAL, "Hi,\n\ncan we talk?\n## Draft\nnot a section")
                .withSection(TaskFile.DRAFT, "Hello Alice,\n\nYes.");

        TaskFile back = TaskFile.parse(task.render());

        assertThat(back.id()).isEqualTo("EMAIL_18c2f9a0b1c2d3e4");
        assertThat(back.type()).isEqualTo("email_reply");
        assertThat(back.getOrEmpty("from")).isEqualTo("Alice <alice@corp.example.com>");
        assertThat(back.getOrEmpty("subject")).isEqualTo("Project: Proposal #1");
        assertThat(back.getOrEmpty("message_id")).isEqualTo("<CAF1x@mail.gmail.com>");
        assertThat(back.getOrEmpty("created")).isEqualTo("2026-01-18T09:00:12Z");
        assertThat(back.section(TaskFile.ORIGINAL)).contains("Hi,\n\ncan we talk?\n## Draft\nnot a section");
        assertThat(back.section(TaskFile.DRAFT)).contains("Hello Alice,\n\nYes.");
        assertThat(back.render()).isEqualTo(task.render());
    }

    @Test
    void readsTheDocumentedExampleWrittenByHand() throws Exception {
        String text = """
                ---
                id: EMAIL_18c2f9a0b1c2d3e4
                type: email_reply
                channel: gmail
                created: 2026-01-18T09:00:12Z
                from: alice@corp.example.com
                subject: Project Proposal
                message_id: "<CAF1x@mail.gmail.com>"
                drafted_by: template            # or openai:<model>
                expires: 2026-01-25T09:00:12Z
                ---
                ## Original
                ...the message as received...

                ## Draft
                What will be sent,
                edited by the owner.
                """;
        TaskFile task = TaskFile.parse(text.replace("\n", "\r\n"));
        assertThat(task.getOrEmpty("drafted_by")).isEqualTo("template");
        assertThat(task.getOrEmpty("expires")).isEqualTo("2026-01-25T09:00:12Z");
        assertThat(task.section(TaskFile.ORIGINAL)).contains("...the message as received...");
        assertThat(task.section(TaskFile.DRAFT)).contains("What will be sent,\nedited by the owner.");
    }

    @Test
    void badFrontMatterGivesAClearReason() {
        assertThatThrownBy(() -> TaskFile.parse("just some notes\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("no front matter");
        assertThatThrownBy(() -> TaskFile.parse("---\nid: X\ntype: email_reply\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("not closed");
        assertThatThrownBy(() -> TaskFile.parse("---\nid: [unclosed\ntype: x\n---\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("not valid YAML at line");
        assertThatThrownBy(() -> TaskFile.parse("---\ntype: email_reply\n---\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("no 'id'");
        assertThatThrownBy(() -> TaskFile.parse("---\nid: EMAIL_1\n---\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("no 'type'");
        assertThatThrownBy(() -> TaskFile.parse("---\nid: ../../etc/passwd\ntype: email_reply\n---\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> TaskFile.parse("---\nid: EMAIL_1\ntype: \"Email Reply!\"\n---\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> TaskFile.parse("---\n- a list\n---\n"))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("key: value");
    }

    @Test
    void aTaskWithoutDraftHasNone() throws Exception {
        TaskFile task = TaskFile.parse("---\nid: EMAIL_1\ntype: email_reply\n---\n## Original\n\n> hi\n");
        assertThat(task.section(TaskFile.DRAFT)).isEmpty();
        assertThat(task.section(TaskFile.ORIGINAL)).contains("hi");
    }
}
