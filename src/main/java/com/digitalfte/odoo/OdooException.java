package com.digitalfte.odoo;

/**
 * Odoo answered, and said no: an access right, a validation rule, a wrong key. The message is
 * Odoo's own (its {@code message}, or an XML-RPC fault string), never its debug traceback.
 */
public final class OdooException extends Exception {

    private final String name;
    private final int status;

    /**
     * @param name   Odoo's name for the error ({@code odoo.exceptions.AccessError}), or what stands for it
     * @param status the HTTP status (JSON-2) or the XML-RPC fault code
     */
    public OdooException(String name, String message, int status) {
        super(message);
        this.name = name;
        this.status = status;
    }

    public String name() {
        return name;
    }

    public int status() {
        return status;
    }

    /** The last line of a Python traceback (what was raised), for an answer that carries only the traceback. */
    static String lastLineOf(String traceback) {
        String[] lines = traceback == null ? new String[0] : traceback.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "Odoo failed without saying why";
    }
}
