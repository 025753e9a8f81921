package com.digitalfte.draft;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.vault.TaskFile;
import org.junit.jupiter.api.Test;

class TemplateDrafterTest {

    private final Handbook handbook = new Handbook("""
            # Handbook
            ## Holding reply

            Dear {name},

            thanks for writing about "{subject}". We answer
            within a day.

            ## Signature

            Kind regards,
            Owner
            """);

    @Test
    void draftsAPoliteHoldingReplyFromTheHandbook() {
        TaskFile task = TaskFile.create("EMAIL_1", "email_reply")
                .with("from", "\"Alice Smith\" <alice@example.com>").with("subject", "Quote\nrequest");
        String draft = new TemplateDrafter().draft(task, handbook);
        assertThat(draft).isEqualTo("""
                Dear Alice,

                thanks for writing about "Quote request". We answer within a day.

                Kind regards,
                Owner""");
    }

    @Test
    void greetsByAddressWhenThereIsNoName() {
        assertThat(TemplateDrafter.greetingName("bob.jones@example.com")).isEqualTo("Bob");
        assertThat(TemplateDrafter.greetingName("<carol@example.com>")).isEqualTo("Carol");
        assertThat(TemplateDrafter.greetingName("")).isEqualTo("there");
    }

    @Test
    void anEmptyHandbookStillGivesAReply() {
        String draft = new TemplateDrafter().draft(TaskFile.create("EMAIL_2", "email_reply").with("from", "dan@example.com"), new Handbook(""));
        assertThat(draft).startsWith("Hello Dan,").contains("your message");
    }

    @Test
    void anotherTypeGetsANoteForTheOwnerNotAnEmail() {
        String draft = new TemplateDrafter().draft(TaskFile.create("INVOICE_1", "odoo_invoice").with("from", "kim@example.com")
                .with("subject", "Invoice for May"), handbook);
        assertThat(draft).startsWith("Proposed odoo invoice for kim@example.com, about \"Invoice for May\".").doesNotContain("Dear");
    }
}
