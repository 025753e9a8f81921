package com.digitalfte.vault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes tasks for one agent. A claim that returns a path is this agent's work; an empty answer means
 * it is not, now (another agent has it, or the try must be made again). Implementations decide how
 * the claim is made known (an atomic rename on one machine; a pushed commit when agents share a git
 * remote).
 */
public interface ClaimService {

    /** Claims {@code file} into {@code In_Progress/<agent>/}; empty when somebody else was first. */
    Optional<Path> claim(Path file) throws IOException;

    /** Claims several files at once, all or none (with a remote: one commit, one push); the paths now. */
    default List<Path> claimAll(List<Path> files) throws IOException {
        List<Path> claimed = new ArrayList<>();
        for (Path f : files) {
            claim(f).ifPresent(claimed::add);
        }
        return claimed;
    }

    /**
     * Moves a file to {@code dir} the way a claim is made, so every agent agrees on the move (used to
     * give a stale claim back to {@code Needs_Action/}); empty when somebody else moved it first.
     */
    Optional<Path> transfer(Path file, Path dir) throws IOException;
}
