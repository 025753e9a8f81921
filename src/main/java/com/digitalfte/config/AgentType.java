package com.digitalfte.config;

import java.util.Locale;

/** What a process loads: the cloud drafts and never sends, the local side approves and executes. */
public enum AgentType {
    CLOUD, LOCAL, ALL;

    public static AgentType parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AGENT_TYPE must be cloud, local or all, not '" + value + "'");
        }
    }

    public boolean drafts() {
        return this != LOCAL;
    }

    public boolean executes() {
        return this != CLOUD;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
