package com.digitalfte.support;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A small Odoo in memory, behaving as Odoo's external API documents it for what the agent uses:
 * {@code res.partner}, {@code res.currency}, {@code product.product}, {@code account.tax},
 * {@code account.journal}, {@code account.move} (draft, then posted with a number like
 * {@code INV/2026/00001}; posting a posted move is Odoo's UserError), {@code account.payment.register}
 * (needs {@code active_model}/{@code active_ids} in its context) and {@code res.users.apikeys}; search_read
 * with Odoo's domains ({@code =}, {@code =ilike}, {@code in}, {@code |}). Its faces, {@link XmlRpcOdoo}
 * and {@link Json2Odoo}, speak the two APIs over it. Every call is recorded; a fault can be set for a
 * model's method, and a hook runs after a call was done and before it is answered.
 */
public final class FakeOdoo {

    public static final String DB = "books";
    public static final String LOGIN = "bot@example.com";
    public static final String PASSWORD = "bot-password-for-tests";
    public static final String API_KEY = "0dd0-api-key-for-the-tests-7f3a9c";
    public static final int UID = 7;

    /** An exception Odoo raises, with what each API makes of it. */
    public enum Raised {
        ACCESS_ERROR("odoo.exceptions.AccessError", 4, 403),
        ACCESS_DENIED("odoo.exceptions.AccessDenied", 3, 403),
        USER_ERROR("odoo.exceptions.UserError", 2, 422),
        VALIDATION_ERROR("odoo.exceptions.ValidationError", 2, 422),
        MISSING_ERROR("odoo.exceptions.MissingError", 2, 404),
        SERVER_ERROR("builtins.KeyError", 1, 500);

        public final String odooName;
        public final int faultCode;
        public final int httpStatus;

        Raised(String odooName, int faultCode, int httpStatus) {
            this.odooName = odooName;
            this.faultCode = faultCode;
            this.httpStatus = httpStatus;
        }
    }

    /** What Odoo raised: its kind, its message, and the traceback Odoo would add. */
    public static final class OdooError extends RuntimeException {
        public final Raised kind;

        public OdooError(Raised kind, String message) {
            super(message);
            this.kind = kind;
        }

        public String traceback() {
            return "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/http.py\", line 2138, in __call__\n"
                    + "    response = request._serve_db()\n" + kind.odooName.replaceFirst("^builtins\\.", "") + ": " + getMessage() + "\n";
        }
    }

    /** Odoo did the call, and its answer never reached the caller (a proxy's 502, a dropped connection). */
    public static final class AnswerLost extends RuntimeException {
        public AnswerLost(String what) {
            super(what);
        }
    }

    /** One call as it reached Odoo: by which API, on which model and method, with which named arguments. */
    public record Call(String api, String model, String method, Map<String, Object> params) {
    }

    private final Map<String, List<Map<String, Object>>> tables = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, OdooError> faults = new ConcurrentHashMap<>();
    private final java.util.Set<String> lostAnswers = ConcurrentHashMap.newKeySet();
    private volatile BiConsumer<String, String> afterCall = (model, method) -> { };
    private volatile int major = 19;
    private int nextId = 100;
    private int nextNumber = 1;

    public FakeOdoo() {
        table("res.currency").add(record(1, "name", "EUR"));
        table("res.currency").add(record(2, "name", "USD"));
        table("account.journal").add(record(9, "name", "Bank", "type", "bank"));
        table("account.tax").add(record(31, "name", "Tax 15%", "type_tax_use", "sale", "amount", 15.0));
        table("product.product").add(record(41, "name", "Consulting", "default_code", "CONS"));
        table("res.users.apikeys").add(record(51, "name", "digitalfte", "expiration_date", "2099-01-01 00:00:00"));
    }

    /** The version this Odoo says it is (19 speaks JSON-2; before 17 there is no /web/version). */
    public FakeOdoo version(int major) {
        this.major = major;
        return this;
    }

    public int major() {
        return major;
    }

    public void failOn(String model, String method, Raised kind, String message) {
        faults.put(model + "/" + method, new OdooError(kind, message));
    }

    public void clearFaults() {
        faults.clear();
        lostAnswers.clear();
    }

    /** From now on this model's method is done, and its answer lost on the way back. */
    public void loseAnswerTo(String model, String method) {
        lostAnswers.add(model + "/" + method);
    }

    public void afterCall(BiConsumer<String, String> hook) {
        afterCall = hook;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String model, String method) {
        return calls.stream().filter(c -> c.model().equals(model) && c.method().equals(method)).toList();
    }

    public synchronized List<Map<String, Object>> records(String model) {
        return table(model).stream().map(LinkedHashMap::new).map(m -> (Map<String, Object>) m).toList();
    }

    public synchronized int addPartner(String name, String email) {
        int id = nextId++;
        table("res.partner").add(record(id, "name", name, "email", email == null ? Boolean.FALSE : email));
        return id;
    }

    /** A customer invoice of one line in USD, as if made in Odoo before: a draft, or posted; its id. */
    public int addInvoice(int partner, String ref, double quantity, double price, boolean posted) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("move_type", "out_invoice", "partner_id", partner, "invoice_date", "2026-05-31",
                "invoice_date_due", "2026-06-30", "currency_id", 2, "ref", ref,
                "invoice_line_ids", List.of(List.of(0, 0, Map.of("name", "Consulting", "quantity", quantity, "price_unit", price)))));
        int id;
        synchronized (this) {
            id = create("account.move", values, Map.of());
            if (posted) {
                post(find("account.move", id));
            }
        }
        return id;
    }

    public synchronized void setKeyExpiry(String dateTime) {
        table("res.users.apikeys").get(0).put("expiration_date", dateTime);
    }

    /** A model's method with named arguments, as both APIs reach it; the answer as JSON values. */
    public Object execute(String api, String model, String method, Map<String, Object> params) {
        calls.add(new Call(api, model, method, params));
        if (model.equals("common")) {
            // the login itself, recorded; the API's face answers it
            return null;
        }
        OdooError fault = faults.get(model + "/" + method);
        if (fault != null) {
            throw fault;
        }
        Object answer;
        synchronized (this) {
            answer = perform(model, method, params);
        }
        afterCall.accept(model, method);
        if (lostAnswers.contains(model + "/" + method)) {
            throw new AnswerLost(model + "/" + method);
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private Object perform(String model, String method, Map<String, Object> params) {
        Map<String, Object> context = params.get("context") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
        switch (method) {
            case "search_read" -> {
                List<Object> domain = (List<Object>) params.getOrDefault("domain", List.of());
                List<Object> fields = (List<Object>) params.getOrDefault("fields", List.of());
                int limit = params.get("limit") instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
                return table(model).stream().filter(r -> matches(r, domain)).limit(limit).map(r -> read(model, r, fields)).toList();
            }
            case "read" -> {
                List<Object> fields = (List<Object>) params.getOrDefault("fields", List.of());
                return ids(params).stream().map(id -> read(model, find(model, id), fields)).toList();
            }
            case "create" -> {
                List<Object> ids = new ArrayList<>();
                for (Object vals : (List<Object>) params.get("vals_list")) {
                    ids.add(create(model, new LinkedHashMap<>((Map<String, Object>) vals), context));
                }
                return ids;
            }
            case "action_post" -> {
                for (Integer id : ids(params)) {
                    post(find(model, id));
                }
                return Boolean.FALSE;
            }
            case "action_create_payments" -> {
                return pay(find(model, ids(params).get(0)));
            }
            default -> throw new OdooError(Raised.SERVER_ERROR, "The method '" + method + "' does not exist on the model '" + model + "'");
        }
    }

    private int create(String model, Map<String, Object> vals, Map<String, Object> context) {
        int id = nextId++;
        vals.put("id", id);
        if (model.equals("account.move")) {
            if (vals.get("partner_id") instanceof Integer p && find("res.partner", p) == null) {
                throw new OdooError(Raised.MISSING_ERROR, "Record does not exist or has been deleted.\n(Record: res.partner(" + p + ",), User: " + UID + ")");
            }
            vals.put("state", "draft");
            vals.put("name", "/");
            vals.put("amount_total", total(vals));
            vals.put("amount_residual", vals.get("amount_total"));
            vals.put("payment_state", "not_paid");
        }
        if (model.equals("account.payment.register")) {
            if (!"account.move".equals(context.get("active_model")) || !(context.get("active_ids") instanceof List<?> active) || active.isEmpty()) {
                throw new OdooError(Raised.USER_ERROR, "The register payment wizard should only be called on account.move or account.move.line records.");
            }
            vals.put("move_ids", List.copyOf(active));
        }
        table(model).add(vals);
        return id;
    }

    private void post(Map<String, Object> move) {
        if (!"draft".equals(move.get("state"))) {
            throw new OdooError(Raised.USER_ERROR, "The entry " + move.get("name") + " (id " + move.get("id") + ") is already posted.");
        }
        int year = LocalDate.parse(String.valueOf(move.get("invoice_date"))).getYear();
        move.put("name", "INV/%d/%05d".formatted(year, nextNumber++));
        move.put("state", "posted");
    }

    private Map<String, Object> pay(Map<String, Object> wizard) {
        Map<String, Object> move = find("account.move", ((Number) ((List<?>) wizard.get("move_ids")).get(0)).intValue());
        double residual = ((Number) move.get("amount_residual")).doubleValue();
        double amount = wizard.get("amount") instanceof Number n ? n.doubleValue() : residual;
        int payment = nextId++;
        table("account.payment").add(record(payment, "amount", amount, "move_id", move.get("id"), "date", wizard.get("payment_date")));
        move.put("amount_residual", Math.max(0, residual - amount));
        move.put("payment_state", residual - amount <= 0.005 ? "paid" : "partial");
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("name", "Payments");
        action.put("type", "ir.actions.act_window");
        action.put("res_model", "account.payment");
        action.put("context", Map.of("create", false));
        action.put("view_mode", "form");
        action.put("res_id", payment);
        return action;
    }

    @SuppressWarnings("unchecked")
    private double total(Map<String, Object> move) {
        double total = 0;
        for (Object command : (List<Object>) move.getOrDefault("invoice_line_ids", List.of())) {
            Map<String, Object> line = (Map<String, Object>) ((List<Object>) command).get(2);
            double amount = ((Number) line.get("quantity")).doubleValue() * ((Number) line.get("price_unit")).doubleValue();
            double tax = 0;
            if (line.get("tax_ids") instanceof List<?> taxes && !taxes.isEmpty()) {
                for (Object id : (List<Object>) ((List<Object>) taxes.get(0)).get(2)) {
                    tax += amount * ((Number) find("account.tax", ((Number) id).intValue()).get("amount")).doubleValue() / 100;
                }
            }
            total += amount + tax;
        }
        return Math.round(total * 100) / 100.0;
    }

    private Map<String, Object> read(String model, Map<String, Object> r, List<Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.get("id"));
        for (Object f : fields) {
            String name = String.valueOf(f);
            Object value = r.getOrDefault(name, Boolean.FALSE);
            if ((name.equals("partner_id") || name.equals("currency_id")) && value instanceof Integer id) {
                Map<String, Object> target = find(name.equals("partner_id") ? "res.partner" : "res.currency", id);
                value = List.of(id, target == null ? "?" : target.get("name"));
            }
            out.put(name, value);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ids(Map<String, Object> params) {
        return ((List<Object>) params.get("ids")).stream().map(i -> ((Number) i).intValue()).toList();
    }

    private Map<String, Object> find(String model, int id) {
        return table(model).stream().filter(r -> ((Number) r.get("id")).intValue() == id).findFirst().orElse(null);
    }

    /** Odoo's domains in Polish notation: terms are ANDed, "|" ORs the next two. */
    private static boolean matches(Map<String, Object> r, List<Object> domain) {
        int[] at = {0};
        boolean all = true;
        while (at[0] < domain.size()) {
            all &= term(r, domain, at);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static boolean term(Map<String, Object> r, List<Object> domain, int[] at) {
        Object t = domain.get(at[0]++);
        if ("|".equals(t)) {
            boolean a = term(r, domain, at);
            boolean b = term(r, domain, at);
            return a || b;
        }
        List<Object> cond = (List<Object>) t;
        Object value = r.get(String.valueOf(cond.get(0)));
        Object wanted = cond.get(2);
        return switch (String.valueOf(cond.get(1))) {
            case "=" -> value != null && String.valueOf(value).equals(String.valueOf(wanted));
            case "=ilike" -> value instanceof String s && ilike(String.valueOf(wanted)).matcher(s).matches();
            case "in" -> ((List<Object>) wanted).stream().anyMatch(w -> String.valueOf(w).equals(String.valueOf(value)));
            default -> throw new OdooError(Raised.SERVER_ERROR, "Invalid domain operator " + cond.get(1));
        };
    }

    /** SQL ILIKE: % and _ are wildcards unless escaped with a backslash. */
    private static Pattern ilike(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private List<Map<String, Object>> table(String model) {
        return tables.computeIfAbsent(model.toLowerCase(Locale.ROOT), k -> new CopyOnWriteArrayList<>());
    }

    private static Map<String, Object> record(int id, Object... keyValues) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        for (int i = 0; i < keyValues.length; i += 2) {
            r.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return r;
    }
}
