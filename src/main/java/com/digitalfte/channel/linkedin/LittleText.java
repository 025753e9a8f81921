package com.digitalfte.channel.linkedin;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The owner's draft in LinkedIn's "little" text format, which the Posts API reads a post's
 * {@code commentary} in: its reserved characters {@code \ | { } @ [ ] ( ) < > # * _ ~} are
 * backslash-escaped, or LinkedIn takes them for markup and cuts the post at the first one while it
 * answers 201. Links are left whole (escaped, they would no longer work) and a {@code #word} stays
 * a hashtag. For the {@code draftFormat} of the http-action-sink kamelet.
 */
public final class LittleText implements UnaryOperator<String> {

    private static final Pattern LINK = Pattern.compile("(?i)https?://\\S+");
    private static final String RESERVED = "\\|{}@[]()<>#*_~";

    @Override
    public String apply(String draft) {
        StringBuilder out = new StringBuilder(draft.length() + 16);
        Matcher links = LINK.matcher(draft);
        int from = 0;
        while (links.find()) {
            escape(draft.substring(from, links.start()), out);
            out.append(links.group());
            from = links.end();
        }
        escape(draft.substring(from), out);
        return out.toString();
    }

    private static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hashtag = c == '#' && i + 1 < text.length() && Character.isLetterOrDigit(text.charAt(i + 1));
            if (RESERVED.indexOf(c) >= 0 && !hashtag) {
                out.append('\\');
            }
            out.append(c);
        }
    }
}
