package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Dashboard.md", "Company_Handbook.md", "Needs_Action/EMAIL_1.md", "In_Progress/cloud-1/X_2.md",
        "Updates/agents/cloud.json", "Accounting/Rates.md", "Plans/PLAN_EMAIL_1.md", "channels/rss.camel.yaml",
        ".obsidian/app.json", ".gitignore"})
    void sharedNotesAreSynced(String path) {
        assertThat(AllowedPaths.isAllowed(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ".env", ".env.local", "sub/.env", "Logs/2026-01-18.json", "Logs/vault_sync.jsonl", ".state/ledger.jsonl",
        ".state/quarantine/X.md", "gmail_token.json", "Updates/agents/x_token.json", "credentials.json",
        "Needs_Action/EMAIL_1.md.processed_1", ".whatsapp_session", ".obsidian/workspace.json",
        ".obsidian/workspace-mobile.json", "notes.txt", "image.png", "script.sh", "../outside.md", "/abs.md",
        ".git/config"})
    void secretsStateLogsAndOtherFilesNeverAre(String path) {
        assertThat(AllowedPaths.isAllowed(path)).isFalse();
    }
}
