package com.digitalfte.vault;

/**
 * The vault's state folders, in the order a task moves through them; when one id turns up in two
 * folders the later state wins.
 */
public enum Folder {
    NEEDS_ACTION("Needs_Action"),
    IN_PROGRESS("In_Progress"),
    UPDATES("Updates"),
    PENDING_APPROVAL("Pending_Approval"),
    APPROVED("Approved"),
    REJECTED("Rejected"),
    FAILED("Failed"),
    DONE("Done");

    private final String dirName;

    Folder(String dirName) {
        this.dirName = dirName;
    }

    public String dirName() {
        return dirName;
    }
}
