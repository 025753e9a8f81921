package com.digitalfte.sync;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.vault.VaultInvariant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what the sync had to do to the audit log. What the owner must see comes from disk, not from
 * here: quarantined files from {@code .state/quarantine/}; repairs, overlapping edits and refusals
 * from the audit log.
 */
public final class SyncAudit implements SyncListener {

    private final AuditLog audit;

    public SyncAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void quarantined(String vaultPath, SecretGuard.Finding finding, String quarantinedAs) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rule", finding.rule());
        parameters.put("line", finding.line());
        parameters.put("quarantined_as", quarantinedAs);
        audit.record("secret_blocked", vaultPath, parameters, "n/a", null, "quarantined");
    }

    @Override
    public void repaired(VaultInvariant.Repair repair) {
        audit.record("invariant_repaired", repair.id(), Map.of("kept", repair.kept(), "removed", repair.removed()),
                "n/a", null, "repaired");
    }

    @Override
    public void conflicted(String vaultPath, String otherSideAt) {
        audit.record("merge_conflict", vaultPath, Map.of("other_side_at", otherSideAt), "n/a", null, "kept_both");
    }

    @Override
    public void refused(String reason) {
        audit.record("sync_refused", "remote", Map.of("reason", reason), "n/a", null, "refused");
    }
}
