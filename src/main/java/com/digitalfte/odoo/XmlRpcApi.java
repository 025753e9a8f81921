package com.digitalfte.odoo;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.client.XmlRpcHttpTransportException;
import org.apache.xmlrpc.client.XmlRpcSunHttpTransport;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Odoo's XML-RPC API, for Odoo up to 18 (deprecated in 19, removed in 22): {@code /xmlrpc/2/common}
 * {@code authenticate} once, then {@code /xmlrpc/2/object} {@code execute_kw(db, uid, secret, model,
 * method, args, kwargs)}, where {@code ids} or {@code vals_list} is the one positional argument
 * ({@code create} reads {@code args[0]}) and the rest go by name.
 *
 * <p>apache-xmlrpc 3.1.3 is retired and its response parser deserializes a fault's
 * {@code faultCause} with Java serialization whatever the settings (CVE-2019-17570): a hostile server
 * could run code here. So it is meant for the owner's own, trusted Odoo only, with extensions off
 * (no {@code ex:serializable}, no {@code nil}), and the parser used here drops {@code faultCause}
 * before it is read. JSON-2 is preferred wherever Odoo has it.
 */
final class XmlRpcApi implements OdooApi {

    private static final Map<Integer, String> FAULTS = Map.of(2, "odoo.exceptions.UserError", 3, "odoo.exceptions.AccessDenied",
            4, "odoo.exceptions.AccessError");

    private final XmlRpcClient client = new XmlRpcClient();
    private final OdooSettings settings;
    private final XmlRpcClientConfigImpl common;
    private final XmlRpcClientConfigImpl object;
    private Integer uid;

    XmlRpcApi(OdooSettings settings) {
        this.settings = settings;
        this.common = config(settings, "/xmlrpc/2/common");
        this.object = config(settings, "/xmlrpc/2/object");
        int timeout = (int) settings.timeout().toMillis();
        client.setTransportFactory(() -> new FaultCauseDroppingTransport(client, timeout));
    }

    private static XmlRpcClientConfigImpl config(OdooSettings settings, String path) {
        XmlRpcClientConfigImpl c = new XmlRpcClientConfigImpl();
        try {
            c.setServerURL(URI.create(settings.url() + path).toURL());
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("ODOO_URL '" + settings.url() + "' is not a URL like https://odoo.example.com", e);
        }
        c.setEnabledForExtensions(false);
        c.setEnabledForExceptions(false);
        c.setEncoding("UTF-8");
        return c;
    }

    @Override
    public String name() {
        return "xmlrpc";
    }

    /** {@code common.version()}: what the server says it is, without logging in. */
    Map<String, Object> version() throws OdooException, OdooTransportException {
        Object answer = execute(common, "version", List.of(), "version");
        if (!(answer instanceof Map<?, ?>)) {
            throw new OdooTransportException("Odoo's answer to version is not a struct", true, null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> version = (Map<String, Object>) json(answer);
        return version;
    }

    @Override
    public Object call(String model, String method, Map<String, Object> params) throws OdooException, OdooTransportException {
        int user = uid();
        Map<String, Object> kwargs = new LinkedHashMap<>(params);
        List<Object> args = new ArrayList<>();
        Object first = kwargs.containsKey("ids") ? kwargs.remove("ids") : kwargs.remove("vals_list");
        if (first != null) {
            args.add(first);
        }
        try {
            return json(execute(object, "execute_kw", List.of(settings.database(), user, settings.xmlRpcSecret(), model, method, args, kwargs),
                    model + "/" + method));
        } catch (OdooException e) {
            if (e.status() == 3) {
                // the key may have been replaced since the login: log in again next time
                uid = null;
            }
            throw e;
        }
    }

    private synchronized int uid() throws OdooException, OdooTransportException {
        if (uid == null) {
            Object answer = execute(common, "authenticate", List.of(settings.database(), settings.user(), settings.xmlRpcSecret(), Map.of()),
                    "authenticate");
            if (!(answer instanceof Integer id)) {
                throw new OdooException("odoo.exceptions.AccessDenied", "Odoo did not accept the login '" + settings.user() + "' on database '"
                        + settings.database() + "': check ODOO_USER and ODOO_API_KEY (or ODOO_PASSWORD)", 3);
            }
            uid = id;
        }
        return uid;
    }

    private Object execute(XmlRpcClientConfigImpl config, String method, List<Object> params, String where)
            throws OdooException, OdooTransportException {
        try {
            return client.execute(config, method, params.stream().map(XmlRpcApi::xml).toArray());
        } catch (XmlRpcHttpTransportException e) {
            int status = e.getStatusCode();
            if (status == 429) {
                throw new OdooTransportException("Odoo asks to slow down (HTTP 429)", false, e);
            }
            if (status >= 500) {
                throw new OdooTransportException("HTTP " + status + " without an answer from Odoo to " + where + " (a proxy or a restart?)", true, e);
            }
            throw new OdooException("HTTP " + status, "HTTP " + status + " for " + where + ", which is not an answer from Odoo: is ODOO_URL right?", status);
        } catch (XmlRpcException e) {
            if (e.getClass() == XmlRpcException.class && e.getCause() == null) {
                // a fault: Odoo's words; code 1 carries a whole traceback, of which the raised line is what matters
                String message = e.code == 1 ? OdooException.lastLineOf(e.getMessage()) : e.getMessage();
                throw new OdooException(FAULTS.getOrDefault(e.code, "odoo error"), message, e.code);
            }
            throw transport(e, where);
        }
    }

    private static OdooTransportException transport(XmlRpcException e, String where) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            boolean connectTimeout = t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException || connectTimeout) {
                return new OdooTransportException("Odoo cannot be reached (" + Json2Api.describe(t) + ")", false, e);
            }
            if (t instanceof SocketTimeoutException) {
                return new OdooTransportException("Odoo did not answer " + where + " in time", true, e);
            }
        }
        return new OdooTransportException("the call to Odoo failed during " + where + " (" + Json2Api.describe(e) + ")", true, e);
    }

    /** XML-RPC's own types without extensions: no null, no long, no BigDecimal. */
    private static Object xml(Object value) {
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Long l) {
            return Math.toIntExact(l);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), xml(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> v == null ? Boolean.FALSE : xml(v)).toArray();
        }
        return value;
    }

    /** The answer as JSON-2 gives it: lists for arrays. */
    private static Object json(Object value) {
        if (value instanceof Object[] array) {
            return new ArrayList<>(Arrays.stream(array).map(XmlRpcApi::json).toList());
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), json(v)));
            return out;
        }
        return value;
    }

    /**
     * The JDK's HTTP client with timeouts, and a response parser that never deserializes a fault's
     * {@code faultCause}: the path of CVE-2019-17570.
     */
    private static final class FaultCauseDroppingTransport extends XmlRpcSunHttpTransport {

        private final int timeoutMillis;

        FaultCauseDroppingTransport(XmlRpcClient client, int timeoutMillis) {
            super(client);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        protected URLConnection newURLConnection(URL url) throws IOException {
            URLConnection c = super.newURLConnection(url);
            c.setConnectTimeout(Math.min(timeoutMillis, 10_000));
            c.setReadTimeout(timeoutMillis);
            return c;
        }

        @Override
        protected Object readResponse(XmlRpcStreamRequestConfig config, InputStream stream) throws XmlRpcException {
            XMLReader reader = newXMLReader();
            XmlRpcResponseParser parser = new XmlRpcResponseParser(config, getClient().getTypeFactory()) {
                @Override
                protected void addResult(Object result) throws SAXException {
                    if (!isSuccess() && result instanceof Map<?, ?> fault) {
                        Map<Object, Object> safe = new LinkedHashMap<>(fault);
                        safe.remove("faultCause");
                        super.addResult(safe);
                    } else {
                        super.addResult(result);
                    }
                }
            };
            try {
                reader.setContentHandler(parser);
                reader.parse(new InputSource(stream));
            } catch (SAXException | IOException e) {
                throw new XmlRpcException("Failed to read server's response: " + e.getMessage(), e);
            }
            if (parser.isSuccess()) {
                return parser.getResult();
            }
            throw new XmlRpcException(parser.getErrorCode(), parser.getErrorMessage());
        }
    }
}
