package com.digitalfte.dashboard;

import java.util.List;

/**
 * A service the local agent works with (Odoo), as the Dashboard shows it: a row beside the agents,
 * and a short section of its own. What it returns should change only when something happened, so
 * an idle vault makes no commits.
 */
public interface DashboardSource {

    /** Its row in the Agents table: name, type, last seen, status. */
    List<String> agentRow();

    /** Markdown starting with {@code ## }, or empty. */
    String section();
}
