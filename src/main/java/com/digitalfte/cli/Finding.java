package com.digitalfte.cli;

/** One thing the doctor looked at: fine, worth knowing, a warning, or a problem with how to fix it. */
record Finding(Level level, String text, String fix) {

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
}
