package com.digitalfte.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One thing the doctor looked at: fine, worth knowing, a warning, or a problem with how to fix it. */
record Finding(Level level, String text, String fix) {

    /** Where a reason turns from what happened to what to do: "...: check MAIL_PASSWORD", "...: set GIT_TOKEN". */
    private static final Pattern TO_DO = Pattern.compile(": (?=check |set |use |add |connect |is it )");

    enum Level {
        OK("ok  "), INFO("--  "), WARN("warn"), FAIL("FAIL");

        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    static Finding ok(String text) {
        return new Finding(Level.OK, text, null);
    }

    static Finding info(String text) {
        return new Finding(Level.INFO, text, null);
    }

    static Finding warn(String text, String fix) {
        return new Finding(Level.WARN, text, fix);
    }

    static Finding fail(String text, String fix) {
        return new Finding(Level.FAIL, text, fix);
    }

    /**
     * A problem whose reason already says what to do after its last ": check ...", ": set ...": that
     * part is the fix; a reason without one gets {@code otherwise}.
     */
    static Finding failWithAdvice(String reason, String otherwise) {
        Matcher todo = TO_DO.matcher(reason);
        int at = -1;
        while (todo.find()) {
            at = todo.start();
        }
        return at < 0 ? fail(reason, otherwise) : fail(reason.substring(0, at), reason.substring(at + 2));
    }
}
