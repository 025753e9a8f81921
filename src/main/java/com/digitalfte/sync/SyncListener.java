package com.digitalfte.sync;

import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.vault.VaultInvariant;

/** What the sync tells the rest of the agent (the audit log, the Dashboard). */
public interface SyncListener {

    /** A file held a secret and was moved to {@code .state/quarantine/} instead of being committed. */
    void quarantined(String vaultPath, SecretGuard.Finding finding, String quarantinedAs);

    /** One id was found in two folders after a pull, and one copy was kept. */
    void repaired(VaultInvariant.Repair repair);

    SyncListener NONE = new SyncListener() {
        @Override
        public void quarantined(String vaultPath, SecretGuard.Finding finding, String quarantinedAs) {
        }

        @Override
        public void repaired(VaultInvariant.Repair repair) {
        }
    };
}
