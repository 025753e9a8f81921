package com.digitalfte.sync;

import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.vault.VaultInvariant;

/** What the sync tells the rest of the agent (the audit log, the Dashboard). */
public interface SyncListener {

    /** A file held a secret and was moved to {@code .state/quarantine/} instead of being committed. */
    default void quarantined(String vaultPath, SecretGuard.Finding finding, String quarantinedAs) {
    }

    /** One id was found in two folders after a pull, and one copy was kept. */
    default void repaired(VaultInvariant.Repair repair) {
    }

    /** A file was edited here and on another machine at the same lines; the other side's text is at {@code otherSideAt}. */
    default void conflicted(String vaultPath, String otherSideAt) {
    }

    /** The remote refused this agent (credentials, host key, permission): the owner must act. */
    default void refused(String reason) {
    }

    SyncListener NONE = new SyncListener() {
    };
}
