package com.digitalfte.channel.whatsapp;

import java.time.ZonedDateTime;

/**
 * {@code NOTIFY_QUIET_HOURS=22-7}: from 22:00 to 07:00 (this machine's time zone) notifications are
 * held, and sent together when the hours end. Empty: never quiet.
 */
public final class QuietHours {

    private final int from;
    private final int until;

    private QuietHours(int from, int until) {
        this.from = from;
        this.until = until;
    }

    public static QuietHours parse(String setting) {
        String s = setting == null ? "" : setting.strip();
        if (s.isEmpty()) {
            return new QuietHours(0, 0);
        }
        String[] hours = s.split("\\s*-\\s*");
        try {
            if (hours.length == 2) {
                int from = Integer.parseInt(hours[0]);
                int until = Integer.parseInt(hours[1]);
                if (from >= 0 && from < 24 && until >= 0 && until < 24) {
                    return new QuietHours(from, until);
                }
            }
        } catch (NumberFormatException notHours) {
            // said below
        }
        throw new IllegalArgumentException("NOTIFY_QUIET_HOURS is two hours of the day, from-until, e.g. 22-7, not '" + setting + "'");
    }

    public boolean quiet(ZonedDateTime at) {
        int hour = at.getHour();
        return from < until ? hour >= from && hour < until : from > until && (hour >= from || hour < until);
    }

    @Override
    public String toString() {
        return from == until ? "none" : from + ":00-" + until + ":00";
    }
}
