package com.digitalfte.dashboard;

import com.digitalfte.sync.CommitFilter;
import java.util.regex.Pattern;

/**
 * The Dashboard is rewritten whenever anything on it changes, the clock included, so the owner's
 * copy is always fresh; it is committed only when what it shows changed: a queue, an agent's
 * health, a warning, an activity. A new time alone makes no commit.
 */
public final class DashboardCommits implements CommitFilter {

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?Z?");

    @Override
    public boolean worthCommitting(String vaultPath, String now, String committed) {
        return !vaultPath.equals("Dashboard.md") || !withoutTimes(now).equals(withoutTimes(committed));
    }

    static String withoutTimes(String text) {
        return TIME.matcher(text).replaceAll("");
    }
}
