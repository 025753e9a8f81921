package com.digitalfte.draft;

import com.digitalfte.odoo.Invoice;
import com.digitalfte.odoo.Rates;
import com.digitalfte.vault.TaskFile;
import java.time.LocalDate;

/** Writes the reply or post for a task; the owner reads it, may edit it, and approves it. */
public interface Drafter {

    /** The name recorded in the task's {@code drafted_by}. */
    String name();

    /** The text of the {@code ## Draft} section. */
    String draft(TaskFile task, Handbook handbook);

    /**
     * The invoice an {@code odoo_invoice} task asks for, priced from the owner's rates, with what
     * nobody can tell left unknown. By default what the message's own words say ({@link InvoiceGuess}).
     */
    default Invoice invoice(TaskFile task, Rates rates, LocalDate today) {
        return InvoiceGuess.from(task, rates, today);
    }
}
