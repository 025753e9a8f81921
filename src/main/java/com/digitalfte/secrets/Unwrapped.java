package com.digitalfte.secrets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text as it reads once a mail client's line wrapping is undone (line breaks and the "> " of a
 * quote replaced), remembering where each character came from, so that a value found in it can be
 * replaced in the text as it was.
 */
final class Unwrapped {

    private final String text;
    private final int[] origin;

    private Unwrapped(String text, int[] origin) {
        this.text = text;
        this.origin = origin;
    }

    /** {@code text} with each match of {@code lineBreak} replaced by {@code joint} (empty or one character). */
    static Unwrapped of(String text, Pattern lineBreak, String joint) {
        StringBuilder unwrapped = new StringBuilder(text.length());
        int[] origin = new int[text.length()];
        int copied = 0;
        Matcher m = lineBreak.matcher(text);
        while (m.find()) {
            copied = copy(text, copied, m.start(), unwrapped, origin);
            // a soft break ("=" then the break) is never a space
            if (!joint.isEmpty() && text.charAt(m.start()) != '=') {
                origin[unwrapped.length()] = m.start();
                unwrapped.append(joint);
            }
            copied = m.end();
        }
        copy(text, copied, text.length(), unwrapped, origin);
        return new Unwrapped(unwrapped.toString(), origin);
    }

    private static int copy(String text, int from, int to, StringBuilder unwrapped, int[] origin) {
        for (int i = from; i < to; i++) {
            origin[unwrapped.length()] = i;
            unwrapped.append(text.charAt(i));
        }
        return to;
    }

    /**
     * The first occurrence of {@code value} at or after {@code from} (in this view), as
     * {@code {start, end}} in the text as it was, then where to search on; null when there is none.
     */
    int[] find(String value, int from) {
        int at = text.indexOf(value, from);
        if (at < 0) {
            return null;
        }
        int last = at + value.length() - 1;
        return new int[] {origin[at], origin[last] + 1, last + 1};
    }
}
