package com.digitalfte.vault;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** A claim on one machine: the atomic rename into the agent's folder is the claim. */
public final class LocalClaimService implements ClaimService {

    private final Vault vault;
    private final String agentName;

    public LocalClaimService(Vault vault, String agentName) {
        this.vault = vault;
        this.agentName = agentName;
    }

    @Override
    public Optional<Path> claim(Path file) throws IOException {
        return transfer(file, vault.inProgress(agentName));
    }

    @Override
    public Optional<Path> transfer(Path file, Path dir) throws IOException {
        try {
            return Optional.of(vault.move(file, dir));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
