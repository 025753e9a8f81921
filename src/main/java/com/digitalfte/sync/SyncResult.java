package com.digitalfte.sync;

/** What one sync did, as written to {@code Logs/vault_sync.jsonl}. */
public record SyncResult(String result, int files, int pulled, int pushed, long millis, String error) {

    public boolean ok() {
        return error == null;
    }
}
