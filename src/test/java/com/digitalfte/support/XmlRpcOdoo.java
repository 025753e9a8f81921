package com.digitalfte.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcHandler;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.common.ServerStreamConnection;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.server.XmlRpcServerConfigImpl;
import org.apache.xmlrpc.server.XmlRpcStreamServer;

/**
 * {@link FakeOdoo} over Odoo's XML-RPC API, with apache-xmlrpc's server on 127.0.0.1 (a free port):
 * {@code /xmlrpc/2/common} ({@code version}, {@code authenticate}) and {@code /xmlrpc/2/object}
 * ({@code execute_kw}), with Odoo's fault codes (1 with a traceback, 2 UserError, 3 AccessDenied, 4
 * AccessError); {@code /web/version} as Odoo 17 and later answer it. {@code hostile} makes it send each
 * fault's cause serialized, as a malicious server could (CVE-2019-17570).
 */
public final class XmlRpcOdoo implements AutoCloseable {

    /** Record methods: their first positional argument is the ids; for the others (create), the values. */
    private static final Set<String> RECORD_METHODS = Set.of("read", "write", "unlink", "action_post", "action_create_payments");

    private final FakeOdoo odoo;
    private final HttpServer http;
    private volatile boolean hostile;
    private volatile Throwable hostileCause;
    /** Set by a call whose answer is lost: the HTTP answer is then a gateway's 502. */
    private final ThreadLocal<Boolean> lost = ThreadLocal.withInitial(() -> false);

    public XmlRpcOdoo(FakeOdoo odoo) throws IOException {
        this.odoo = odoo;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/xmlrpc/2/common", exchange -> serve(exchange, this::common));
        http.createContext("/xmlrpc/2/object", exchange -> serve(exchange, this::object));
        http.createContext("/web/version", this::webVersion);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** From now on, each fault carries this throwable serialized in faultCause. */
    public void hostile(Throwable cause) {
        hostileCause = cause;
        hostile = true;
    }

    private void webVersion(HttpExchange exchange) throws IOException {
        byte[] body = odoo.major() >= 17
                ? ("{\"version_info\": [" + odoo.major() + ", 0, 0, \"final\", 0, \"\"], \"version\": \"" + odoo.major() + ".0\"}").getBytes(StandardCharsets.UTF_8)
                : "<html>404 Not Found</html>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", odoo.major() >= 17 ? "application/json" : "text/html");
        exchange.sendResponseHeaders(odoo.major() >= 17 ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Object common(XmlRpcRequest request) throws XmlRpcException {
        List<Object> params = params(request);
        switch (request.getMethodName()) {
            case "version" -> {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("server_version", odoo.major() + ".0");
                v.put("server_version_info", new Object[] {odoo.major(), 0, 0, "final", 0, ""});
                v.put("server_serie", odoo.major() + ".0");
                v.put("protocol_version", 1);
                return v;
            }
            case "authenticate" -> {
                odoo.execute("xmlrpc", "common", "authenticate", Map.of("db", params.get(0), "login", params.get(1), "password", params.get(2)));
                boolean ok = FakeOdoo.DB.equals(params.get(0)) && FakeOdoo.LOGIN.equals(params.get(1))
                        && (FakeOdoo.PASSWORD.equals(params.get(2)) || FakeOdoo.API_KEY.equals(params.get(2)));
                return ok ? (Object) FakeOdoo.UID : Boolean.FALSE;
            }
            default -> throw new XmlRpcException(1, "Traceback (most recent call last):\nAttributeError: no method " + request.getMethodName());
        }
    }

    @SuppressWarnings("unchecked")
    private Object object(XmlRpcRequest request) throws XmlRpcException {
        if (!request.getMethodName().equals("execute_kw")) {
            throw new XmlRpcException(1, "Traceback (most recent call last):\nAttributeError: no method " + request.getMethodName());
        }
        List<Object> p = params(request);
        if (!FakeOdoo.DB.equals(p.get(0)) || !Integer.valueOf(FakeOdoo.UID).equals(p.get(1))
                || !(FakeOdoo.PASSWORD.equals(p.get(2)) || FakeOdoo.API_KEY.equals(p.get(2)))) {
            throw new XmlRpcException(3, "Access Denied");
        }
        String model = (String) p.get(3);
        String method = (String) p.get(4);
        List<Object> args = (List<Object>) p.get(5);
        Map<String, Object> named = new LinkedHashMap<>();
        if (!args.isEmpty()) {
            named.put(RECORD_METHODS.contains(method) ? "ids" : "vals_list", args.get(0));
        }
        if (p.size() > 6) {
            named.putAll((Map<String, Object>) p.get(6));
        }
        try {
            return odoo.execute("xmlrpc", model, method, named);
        } catch (FakeOdoo.AnswerLost e) {
            lost.set(true);
            throw new XmlRpcException(0, "lost");
        } catch (FakeOdoo.OdooError e) {
            throw new XmlRpcException(e.kind.faultCode, e.kind.faultCode == 1 ? e.traceback() : e.getMessage(),
                    hostile ? hostileCause : null);
        }
    }

    private static List<Object> params(XmlRpcRequest request) {
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < request.getParameterCount(); i++) {
            params.add(plain(request.getParameter(i)));
        }
        return params;
    }

    /** XML-RPC arrays as lists, as the fake Odoo takes JSON. */
    private static Object plain(Object value) {
        if (value instanceof Object[] array) {
            return new ArrayList<>(Arrays.stream(array).map(XmlRpcOdoo::plain).toList());
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        return value;
    }

    private interface Endpoint {
        Object handle(XmlRpcRequest request) throws XmlRpcException;
    }

    private void serve(HttpExchange exchange, Endpoint endpoint) throws IOException {
        XmlRpcStreamServer server = new XmlRpcStreamServer() {
        };
        XmlRpcServerConfigImpl serverConfig = new XmlRpcServerConfigImpl();
        serverConfig.setEnabledForExceptions(hostile);
        server.setConfig(serverConfig);
        server.setHandlerMapping(name -> (XmlRpcHandler) endpoint::handle);
        XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();
        config.setEncoding("UTF-8");
        // apache-xmlrpc's server sends a fault's cause only with both on; a hostile server needs neither
        config.setEnabledForExtensions(hostile);
        config.setEnabledForExceptions(hostile);
        try {
            server.execute(config, new ServerStreamConnection() {
                @Override
                public InputStream newInputStream() {
                    return exchange.getRequestBody();
                }

                @Override
                public OutputStream newOutputStream() throws IOException {
                    if (lost.get()) {
                        lost.set(false);
                        exchange.sendResponseHeaders(502, -1);
                        return OutputStream.nullOutputStream();
                    }
                    exchange.getResponseHeaders().set("Content-Type", "text/xml");
                    exchange.sendResponseHeaders(200, 0);
                    return exchange.getResponseBody();
                }

                @Override
                public void close() {
                    exchange.close();
                }
            });
        } catch (XmlRpcException e) {
            exchange.close();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
