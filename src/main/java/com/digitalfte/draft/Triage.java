package com.digitalfte.draft;

import com.digitalfte.vault.TaskFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The handbook's triage rules, in three sections of {@code Company_Handbook.md}, one rule a line:
 * {@code ## Ignore}, {@code ## Urgent} and {@code ## Needs a plan}. A rule is {@code from: <pattern>}
 * (a sender address, {@code *} matching anything) or {@code subject: <words>} (found anywhere in the
 * subject, any case). Ignore wins over the others. A plan rule may name the task type that does
 * what the message asks for, after {@code =>}: {@code subject: invoice => odoo_invoice}.
 */
public final class Triage {

    public enum Verdict { IGNORE, URGENT, PLAN, NORMAL }

    /** The verdict, the rule line that gave it, and for a plan the task types its steps need. */
    public record Decision(Verdict verdict, String rule, List<String> stepTypes) {
    }

    private record Rule(String field, String text, Pattern pattern, String line, String stepType) {
    }

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private final List<Rule> ignore;
    private final List<Rule> urgent;
    private final List<Rule> plan;

    public Triage(Handbook handbook) {
        this.ignore = rules(handbook.section("Ignore", ""));
        this.urgent = rules(handbook.section("Urgent", ""));
        this.plan = rules(handbook.section("Needs a plan", ""));
    }

    public Decision decide(TaskFile task) {
        for (Verdict v : List.of(Verdict.IGNORE, Verdict.URGENT)) {
            for (Rule r : v == Verdict.IGNORE ? ignore : urgent) {
                if (matches(r, task)) {
                    return new Decision(v, r.line(), List.of());
                }
            }
        }
        List<String> lines = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Rule r : plan) {
            if (matches(r, task)) {
                lines.add(r.line());
                if (r.stepType() != null && !types.contains(r.stepType())) {
                    types.add(r.stepType());
                }
            }
        }
        return lines.isEmpty() ? new Decision(Verdict.NORMAL, "", List.of())
                : new Decision(Verdict.PLAN, String.join("; ", lines), types);
    }

    private static boolean matches(Rule r, TaskFile task) {
        if (r.field().equals("from")) {
            String from = Examples.address(task.getOrEmpty("from"));
            return r.pattern().matcher(from).matches();
        }
        return task.getOrEmpty("subject").toLowerCase(Locale.ROOT).contains(r.text());
    }

    private static List<Rule> rules(String section) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : section.split("\n")) {
            String line = raw.strip().replaceFirst("^[-*]\\s*", "").replace("`", "");
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            String stepType = null;
            int arrow = value.indexOf("=>");
            if (arrow >= 0) {
                String t = value.substring(arrow + 2).strip();
                stepType = TYPE.matcher(t).matches() ? t : null;
                value = value.substring(0, arrow).strip();
            }
            if (value.isEmpty() || !(field.equals("from") || field.equals("subject"))) {
                continue;
            }
            Pattern p = Pattern.compile(("\\Q" + value + "\\E").replace("*", "\\E.*\\Q"));
            rules.add(new Rule(field, value, p, field + ": " + value, stepType));
        }
        return rules;
    }
}
