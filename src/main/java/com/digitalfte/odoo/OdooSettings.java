package com.digitalfte.odoo;

import com.digitalfte.config.Settings;
import java.time.Duration;
import java.util.Locale;

/**
 * How to reach the owner's Odoo: {@code ODOO_URL}, {@code ODOO_DB}, {@code ODOO_USER}, the secrets
 * {@code ODOO_API_KEY} and {@code ODOO_PASSWORD}, and {@code ODOO_API} ({@code json2}, {@code xmlrpc},
 * or empty to ask the server its version), {@code ODOO_TIMEOUT} in seconds.
 */
public record OdooSettings(String url, String database, String user, String password, String apiKey, String api, Duration timeout) {

    /** From the agent's settings, which {@code AgentConfig} checked ({@code ODOO_API}, {@code ODOO_TIMEOUT}). */
    public static OdooSettings from(Settings s) {
        String api = s.get("ODOO_API", "").toLowerCase(Locale.ROOT);
        return new OdooSettings(s.get("ODOO_URL", "").replaceAll("/+$", ""), s.get("ODOO_DB", ""), s.get("ODOO_USER", ""),
                s.get("ODOO_PASSWORD", ""), s.get("ODOO_API_KEY", ""), api, Duration.ofSeconds(s.getInt("ODOO_TIMEOUT", 60)));
    }

    /** What XML-RPC logs in with: the API key where there is one (Odoo takes it in place of the password). */
    String xmlRpcSecret() {
        return apiKey.isEmpty() ? password : apiKey;
    }

    /** The toString of a record would print the secrets. */
    @Override
    public String toString() {
        return "OdooSettings[" + url + ", db " + database + ", user " + user + ", api " + (api.isEmpty() ? "auto" : api) + "]";
    }
}
