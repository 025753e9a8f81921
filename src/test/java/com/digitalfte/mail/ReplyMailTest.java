package com.digitalfte.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.vault.TaskFile;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

class ReplyMailTest {

    @Test
    void aReplyIsThreadedAndKeepsItsFixedMessageId() throws Exception {
        TaskFile task = TaskFile.create("EMAIL_1", "email_reply").with("message_id", "<orig@example.com>")
                .with("from", "Alice <alice@example.com>").with("subject", "Project Proposal").with("references", "<root@example.com>");
        task.withSection(TaskFile.DRAFT, "Yes, Friday works.");
        MimeMessage reply = ReplyMail.build(task, "assistant@example.org");
        assertThat(reply.getSubject()).isEqualTo("Re: Project Proposal");
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo("<orig@example.com>");
        assertThat(reply.getHeader("References", null)).isEqualTo("<root@example.com> <orig@example.com>");
        assertThat(reply.getMessageID()).isEqualTo("<" + task.id() + ".reply@example.org>");
        assertThat(reply.getAllRecipients()[0].toString()).isEqualTo("Alice <alice@example.com>");
        assertThat(reply.getContent().toString()).isEqualTo("Yes, Friday works.\n");
        reply.saveChanges();
        assertThat(reply.getMessageID()).isEqualTo("<" + task.id() + ".reply@example.org>");
    }

    @Test
    void aSubjectAlreadyInReplyIsNotPrefixedTwice() {
        assertThat(ReplyMail.replySubject("RE: hello")).isEqualTo("RE: hello");
        assertThat(ReplyMail.replySubject("")).isEqualTo("Re: ");
    }

    @Test
    void replyToWinsOverFromAndATaskWithoutDraftIsRefused() throws Exception {
        TaskFile task = TaskFile.create("EMAIL_2", "email_reply").with("from", "list@example.com").with("reply_to", "bob@example.com");
        assertThatThrownBy(() -> ReplyMail.build(task, "me@example.org")).hasMessageContaining("no '## Draft'");
        task.withSection(TaskFile.DRAFT, "ok");
        assertThat(ReplyMail.build(task, "me@example.org").getAllRecipients()[0].toString()).isEqualTo("bob@example.com");
    }
}
