package com.digitalfte.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.vault.TaskFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The invoice task: its front matter is what is posted; its table must say the same; unknowns are named. */
class InvoiceTest {

    static Invoice mayInvoice() {
        return new Invoice("Kim Lee", "kim@example.com", "USD", LocalDate.of(2026, 5, 31), LocalDate.of(2026, 6, 30), null, List.of(
                new Invoice.Line("Consulting", new BigDecimal("12"), new BigDecimal("100.00"), null, List.of()),
                new Invoice.Line("Project setup", BigDecimal.ONE, new BigDecimal("500.00"), null, List.of())));
    }

    private static TaskFile task(Invoice invoice) throws Exception {
        TaskFile task = TaskFile.create("INVOICE_EMAIL_may", Invoice.TYPE);
        invoice.writeTo(task);
        task.withSection(TaskFile.DRAFT, InvoiceTable.draft(invoice, List.of()));
        // as the file on disk reads back
        return TaskFile.parse(task.render());
    }

    @Test
    void theDraftShowsTheLinesAndTheTotalAndReadsBackTheSame() throws Exception {
        TaskFile task = task(mayInvoice());
        assertThat(task.section(TaskFile.DRAFT).orElseThrow()).contains(
                "**Invoice** to Kim Lee <kim@example.com>, in USD, dated 2026-05-31, due 2026-06-30.",
                "| 1 | Consulting | 12 | 100.00 | 1,200.00 |",
                "| 2 | Project setup | 1 | 500.00 | 500.00 |",
                "| | **Total before tax** | | | **1,700.00 USD** |");
        Invoice read = Invoice.of(task);
        assertThat(read.problems()).isEmpty();
        assertThat(read.untaxedTotal()).isEqualByComparingTo("1700");
        assertThat(InvoiceTable.disagreement(read, task.section(TaskFile.DRAFT).orElseThrow())).isEmpty();
    }

    @Test
    void anEditOfTheFrontMatterAloneMakesTheTableDisagreeAndSaysWhere() throws Exception {
        TaskFile task = task(mayInvoice());
        String edited = task.render().replace("quantity: 12", "quantity: 10");
        Invoice read = Invoice.of(TaskFile.parse(edited));
        assertThat(InvoiceTable.disagreement(read, TaskFile.parse(edited).section(TaskFile.DRAFT).orElseThrow())).get().asString()
                .contains("line 1 quantity is 12 in the table, 10 in the front matter", "line 1 amount is 1200 in the table, 1000 in the front matter",
                        "the total is 1700 in the table, 1500 in the front matter");
    }

    @Test
    void unknownsAndUnreadableValuesAreAllNamedAtOnce() throws Exception {
        Invoice guess = new Invoice(null, "kim@example.com", "USD", LocalDate.of(2026, 5, 31), null, null,
                List.of(new Invoice.Line("Consulting", null, new BigDecimal("100"), null, List.of())));
        TaskFile task = task(guess);
        assertThat(task.render()).contains("customer: '?'", "due_date: '?'", "quantity: '?'");
        assertThat(task.section(TaskFile.DRAFT).orElseThrow()).contains("| 1 | Consulting | **?** | 100.00 | **?** |",
                "**Before you approve:** fill in customer; fill in due_date; fill in lines[1].quantity");
        TaskFile edited = TaskFile.parse(task.render().replace("customer: '?'", "customer: Kim").replace("due_date: '?'", "due_date: 30 June")
                .replace("quantity: '?'", "quantity: twelve"));
        assertThat(Invoice.of(edited).problems()).containsExactly("due_date '30 June' is not a date like 2026-06-30",
                "lines[1].quantity 'twelve' is not a number");
    }
}
