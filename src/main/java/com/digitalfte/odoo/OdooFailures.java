package com.digitalfte.odoo;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Executor;

/** What a failed call to Odoo means for an invoice, in the words the owner reads in {@code Failed/}. */
final class OdooFailures {

    private OdooFailures() {
    }

    /**
     * Odoo's refusals and ours are refused; no connection at all is tried again in a moment; no
     * answer after the call went out may have been done.
     */
    static Action.Failure classify(Exception error) {
        if (error instanceof Executor.RefusedException || error instanceof OdooException) {
            return Action.Failure.refused(error.getMessage());
        }
        if (error instanceof OdooTransportException t) {
            return t.sent() ? Action.Failure.maybeDone(t.getMessage()) : Action.Failure.retry(t.getMessage());
        }
        return Action.Failure.maybeDone("the call to Odoo failed (" + Json2Api.describe(error) + ")");
    }

    /** Odoo's refusal of one step, its message kept as Odoo wrote it, with what to do about a bad key. */
    static OdooException refused(String step, OdooException e) {
        String hint = e.status() == 401 || e.status() == 3
                ? " (check ODOO_USER and ODOO_API_KEY or ODOO_PASSWORD: an API key lasts at most 3 months, see docs/ODOO_SETUP.md)" : "";
        return new OdooException(e.name(), "Odoo refused " + step + ": " + e.getMessage() + hint, e.status());
    }
}
