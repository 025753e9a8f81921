package com.digitalfte.sync;

import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Claims that agents on several machines agree on: compare-and-swap on the git remote ({@link VaultSync#claim}). */
public final class GitClaimService implements ClaimService {

    private final Vault vault;
    private final VaultSync sync;
    private final String agentName;

    public GitClaimService(Vault vault, VaultSync sync, String agentName) {
        this.vault = vault;
        this.sync = sync;
        this.agentName = agentName;
    }

    @Override
    public Optional<Path> claim(Path file) throws IOException {
        return sync.claim(file, vault.inProgress(agentName));
    }

    @Override
    public Optional<Path> transfer(Path file, Path dir) throws IOException {
        return sync.claim(file, dir);
    }
}
