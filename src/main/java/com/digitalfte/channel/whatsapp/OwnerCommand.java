package com.digitalfte.channel.whatsapp;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the owner's commands, parsed strictly: {@code list}, {@code show <id>}, {@code approve <id>
 * [version]}, {@code reject <id> [reason]}, {@code status}, {@code help}. Anything else is not a
 * command, and text from anyone but the owner is never read as one.
 */
public record OwnerCommand(Kind kind, String reference, String argument) {

    public enum Kind { LIST, SHOW, APPROVE, REJECT, STATUS, HELP }

    private static final Pattern ALONE = Pattern.compile("(list|status|help)[.!?]?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOW = Pattern.compile("show\\s+([A-Za-z0-9_-]{1,128})", Pattern.CASE_INSENSITIVE);
    private static final Pattern APPROVE = Pattern.compile("approve\\s+([A-Za-z0-9_-]{1,128})(?:\\s+v?([0-9a-fA-F]{4,64}))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern REJECT = Pattern.compile("reject\\s+([A-Za-z0-9_-]{1,128})(?:\\s+(.+))?", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    public static Optional<OwnerCommand> parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m;
        if ((m = ALONE.matcher(t)).matches()) {
            return Optional.of(new OwnerCommand(Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT)), null, null));
        }
        if ((m = SHOW.matcher(t)).matches()) {
            return Optional.of(new OwnerCommand(Kind.SHOW, m.group(1), null));
        }
        if ((m = APPROVE.matcher(t)).matches()) {
            return Optional.of(new OwnerCommand(Kind.APPROVE, m.group(1), m.group(2) == null ? null : m.group(2).toLowerCase(Locale.ROOT)));
        }
        if ((m = REJECT.matcher(t)).matches()) {
            return Optional.of(new OwnerCommand(Kind.REJECT, m.group(1), m.group(2) == null ? null : m.group(2).replaceAll("\\s+", " ").strip()));
        }
        return Optional.empty();
    }

    /** Whether it would change a task, were it obeyed: what a stranger's message is logged for. */
    public boolean decides() {
        return kind == Kind.APPROVE || kind == Kind.REJECT;
    }
}
