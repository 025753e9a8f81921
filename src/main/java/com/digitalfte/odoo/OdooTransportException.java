package com.digitalfte.odoo;

import java.io.IOException;

/**
 * No answer from Odoo: the call either never left ({@link #sent()} false: no connection, a 429) or
 * may have reached Odoo and been done there (a timeout, a broken connection, a gateway's 5xx).
 */
public final class OdooTransportException extends IOException {

    private final boolean sent;

    public OdooTransportException(String message, boolean sent, Throwable cause) {
        super(message, cause);
        this.sent = sent;
    }

    /** Whether Odoo may have received the call, and so may have acted on it. */
    public boolean sent() {
        return sent;
    }
}
