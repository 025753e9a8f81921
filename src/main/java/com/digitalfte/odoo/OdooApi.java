package com.digitalfte.odoo;

import java.util.Map;

/** One way to reach Odoo's models: JSON-2 for Odoo 19 and later, XML-RPC for Odoo up to 18. */
interface OdooApi {

    /** {@code json2} or {@code xmlrpc}. */
    String name();

    /**
     * {@code model.method} with named arguments as JSON-2 takes them ({@code ids}, {@code vals_list},
     * {@code domain}, {@code fields}, {@code limit}, {@code context}); the answer as JSON values (maps,
     * lists, strings, numbers, booleans).
     */
    Object call(String model, String method, Map<String, Object> params) throws OdooException, OdooTransportException;
}
