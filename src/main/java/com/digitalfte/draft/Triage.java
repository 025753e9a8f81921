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
 * subject, any case). Ignore wins over the others; urgent and a plan go together ("Urgent: invoice
 * for May" is both). A plan rule may name the task type that does what the message asks for, after
 * {@code =>}: {@code subject: invoice => odoo_invoice}.
 */
public final class Triage {

    /**
     * The rule lines that matched, {@code ""} for none: one that ignores the message, one that makes
     * it urgent, and those that ask for a plan, with the task types of the plan's steps (each once).
     */
    public record Decision(String ignoredBy, String urgentBy, String plannedBy, List<String> stepTypes) {

        public boolean ignored() {
            return !ignoredBy.isEmpty();
        }

        public boolean urgent() {
            return !urgentBy.isEmpty();
        }

        public boolean needsPlan() {
            return !plannedBy.isEmpty();
        }
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
        String ignoredBy = firstMatch(ignore, task);
        if (!ignoredBy.isEmpty()) {
            return new Decision(ignoredBy, "", "", List.of());
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
        return new Decision("", firstMatch(urgent, task), String.join("; ", lines), List.copyOf(types));
    }

    private static String firstMatch(List<Rule> rules, TaskFile task) {
        return rules.stream().filter(r -> matches(r, task)).map(Rule::line).findFirst().orElse("");
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
