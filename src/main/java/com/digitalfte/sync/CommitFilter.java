package com.digitalfte.sync;

/** Decides whether a changed vault file is worth a commit now, given its text now and at the last commit. */
@FunctionalInterface
public interface CommitFilter {

    boolean worthCommitting(String vaultPath, String now, String committed);

    CommitFilter ALL = (path, now, committed) -> true;
}
