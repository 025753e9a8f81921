package com.digitalfte.config;

import java.util.List;
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

    /**
     * The folders under {@code routes/} this role loads: {@code common} and its own. A cloud agent
     * never loads {@code routes/local}, where the executors are.
     */
    public List<String> routeFolders() {
        return switch (this) {
            case CLOUD -> List.of("common", "cloud");
            case LOCAL -> List.of("common", "local");
            case ALL -> List.of("common", "cloud", "local");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
