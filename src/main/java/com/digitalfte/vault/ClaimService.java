package com.digitalfte.vault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Takes a task for one agent. The answer is final: a claim that returns a path is this agent's work,
 * an empty answer means another agent has it. Implementations decide how the claim is made known
 * (an atomic rename on one machine; a pushed commit when agents share a git remote).
 */
public interface ClaimService {

    /** Claims {@code file} into {@code In_Progress/<agent>/}; empty when somebody else was first. */
    Optional<Path> claim(Path file) throws IOException;

    /**
     * Moves a file to {@code dir} the way a claim is made, so every agent agrees on the move (used to
     * give a stale claim back to {@code Needs_Action/}); empty when somebody else moved it first.
     */
    Optional<Path> transfer(Path file, Path dir) throws IOException;
}
