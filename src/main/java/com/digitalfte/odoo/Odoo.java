package com.digitalfte.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's Odoo, through the API it speaks: {@code ODOO_API} when set, else what its version
 * says ({@code GET /web/version}, or XML-RPC's {@code common.version} on older servers): JSON-2 from
 * Odoo 19 on, with an API key; XML-RPC before. It remembers how the last call and the last check
 * went, for the Dashboard.
 */
public final class Odoo {

    private static final Logger LOG = LoggerFactory.getLogger(Odoo.class);
    /** The first Odoo with the JSON-2 API. */
    static final int JSON2_SINCE = 19;

    /**
     * What the Dashboard shows: whether Odoo answered (null: not asked yet), its version, the API in
     * use, the last call and how it went, when the bot's API key expires, what the last check found wrong.
     */
    public record Status(Boolean reachable, String version, String api, Instant lastCall, String lastCallResult, LocalDate keyExpires,
                         String problem) {
    }

    private record Version(int major, String text) {
    }

    private final OdooSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private OdooApi api;
    private XmlRpcApi xmlRpc;
    private volatile Status status = new Status(null, null, null, null, null, null, null);

    public Odoo(OdooSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Duration connect = Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout().compareTo(connect) < 0 ? settings.timeout() : connect).build();
    }

    public Status status() {
        return status;
    }

    /** {@code model.method} with named arguments; see {@link OdooApi#call}. */
    public Object call(String model, String method, Map<String, Object> params) throws OdooException, OdooTransportException {
        String what = model + "/" + method;
        try {
            Object answer = api().call(model, method, params);
            called(true, what + ": ok");
            return answer;
        } catch (OdooException e) {
            called(true, what + ": refused (" + e.getMessage() + ")");
            throw e;
        } catch (OdooTransportException e) {
            called(false, what + ": " + e.getMessage());
            throw e;
        }
    }

    private void called(boolean reachable, String result) {
        Status s = status;
        status = new Status(reachable, s.version(), api == null ? s.api() : api.name(), now(), oneLine(result), s.keyExpires(), s.problem());
    }

    /** The API to use, chosen once: by ODOO_API, or by the server's version. */
    synchronized OdooApi api() throws OdooException, OdooTransportException {
        if (api != null) {
            return api;
        }
        String choice = settings.api();
        if (choice.isEmpty()) {
            Version v = detect();
            choice = v.major() >= JSON2_SINCE && !settings.apiKey().isEmpty() ? "json2" : "xmlrpc";
            if (v.major() >= JSON2_SINCE && settings.apiKey().isEmpty()) {
                LOG.warn("Odoo {} speaks JSON-2 with an API key; without ODOO_API_KEY the agent uses XML-RPC with ODOO_PASSWORD,"
                        + " which Odoo deprecates (removed in Odoo 22)", v.text());
            }
            LOG.info("Odoo at {} is version {}: using {}", settings.url(), v.text(), choice);
        }
        if (choice.equals("json2") && settings.apiKey().isEmpty()) {
            throw new OdooException("configuration", "ODOO_API=json2 needs ODOO_API_KEY: JSON-2 takes API keys only", 0);
        }
        api = choice.equals("json2") ? new Json2Api(http, settings) : xmlRpc();
        return api;
    }

    private synchronized XmlRpcApi xmlRpc() {
        if (xmlRpc == null) {
            xmlRpc = new XmlRpcApi(settings);
        }
        return xmlRpc;
    }

    /** The server's version: {@code GET /web/version} (Odoo 17 and later), else XML-RPC's {@code common.version}. */
    private Version detect() throws OdooException, OdooTransportException {
        Optional<Version> web = webVersion();
        if (web.isPresent()) {
            return web.get();
        }
        Map<String, Object> v = xmlRpc().version();
        Object info = v.get("server_version_info");
        int major = info instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Number n ? n.intValue() : 0;
        return new Version(major, String.valueOf(v.getOrDefault("server_version", major)));
    }

    private Optional<Version> webVersion() throws OdooTransportException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/web/version")).timeout(settings.timeout())
                .header("User-Agent", "DigitalFTE").GET().build();
        HttpResponse<String> response = Json2Api.send(http, request, "web/version");
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            JsonNode body = Json2Api.JSON.readTree(response.body());
            JsonNode info = body.path("version_info");
            return info.isArray() && info.size() > 0 && info.get(0).isInt()
                    ? Optional.of(new Version(info.get(0).asInt(), body.path("version").asText(info.get(0).asText())))
                    : Optional.empty();
        } catch (java.io.IOException notJson) {
            return Optional.empty();
        }
    }

    /**
     * For the Dashboard, every few minutes: whether Odoo answers and which version it is, and, with an
     * API key, when the bot user's keys expire (when this Odoo says so and lets the bot read it).
     */
    public void check() {
        Status s = status;
        try {
            Version v = detect();
            status = new Status(true, v.text(), s.api(), s.lastCall(), s.lastCallResult(), keyExpiry().orElse(null), null);
        } catch (OdooException e) {
            status = new Status(true, s.version(), s.api(), s.lastCall(), s.lastCallResult(), s.keyExpires(), oneLine(e.getMessage()));
        } catch (OdooTransportException e) {
            status = new Status(false, s.version(), s.api(), s.lastCall(), s.lastCallResult(), s.keyExpires(), oneLine(e.getMessage()));
        }
    }

    /** The first expiry among the bot user's API keys; empty when Odoo does not say (older Odoo, no right to read them). */
    private Optional<LocalDate> keyExpiry() {
        if (settings.apiKey().isEmpty()) {
            return Optional.empty();
        }
        try {
            Object keys = api().call("res.users.apikeys", "search_read", Map.of("domain", List.of(), "fields", List.of("name", "expiration_date")));
            LocalDate first = null;
            if (keys instanceof List<?> list) {
                for (Object k : list) {
                    if (k instanceof Map<?, ?> m && m.get("expiration_date") instanceof String at && at.length() >= 10) {
                        LocalDate d = LocalDate.parse(at.substring(0, 10));
                        first = first == null || d.isBefore(first) ? d : first;
                    }
                }
            }
            return Optional.ofNullable(first);
        } catch (OdooException | OdooTransportException | DateTimeParseException e) {
            LOG.debug("Odoo does not say when its API keys expire: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
