package com.digitalfte.channel.x;

import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A post's length as X counts it (twitter-text's weighted length, which {@code POST /2/tweets}
 * enforces): after NFC, Latin and most punctuation count 1, other scripts (CJK) and each emoji 2, a
 * link 23 whatever its length; a post takes at most 280. An emoji sequence (a family, a flag, a skin
 * tone, joined by U+200D) counts 2 as a whole.
 */
public final class XText {

    public static final int MAX = 280;
    static final int LINK = 23;
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
    /** The code points twitter-text weighs 1: [0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]; all others weigh 2. */
    private static final int[][] LIGHT = {{0, 4351}, {8192, 8205}, {8208, 8223}, {8242, 8247}};
    private static final int ZWJ = 0x200D;

    private XText() {
    }

    public static int length(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFC);
        int length = 0;
        Matcher links = URL.matcher(t);
        int from = 0;
        while (links.find()) {
            length += plain(t.substring(from, links.start())) + LINK;
            from = links.end();
        }
        return length + plain(t.substring(from));
    }

    private static int plain(String text) {
        int length = 0;
        boolean inEmoji = false;
        boolean halfAFlag = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isRegionalIndicator(cp)) {
                // a flag is two of them
                length += halfAFlag ? 0 : 2;
                halfAFlag = !halfAFlag;
                inEmoji = true;
                continue;
            }
            halfAFlag = false;
            if (inEmoji && (cp == ZWJ || isModifier(cp))) {
                // part of the emoji before it; after a joiner, the next one is too
                if (cp == ZWJ && i < text.length()) {
                    i += Character.charCount(text.codePointAt(i));
                }
                continue;
            }
            inEmoji = isEmoji(cp);
            length += light(cp) ? 1 : 2;
        }
        return length;
    }

    private static boolean light(int cp) {
        for (int[] range : LIGHT) {
            if (cp >= range[0] && cp <= range[1]) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmoji(int cp) {
        return cp >= 0x1F000 && cp <= 0x1FAFF || cp >= 0x2600 && cp <= 0x27BF;
    }

    /** Variation selectors, skin tones, tags: no weight of their own. */
    private static boolean isModifier(int cp) {
        return cp == 0xFE0F || cp == 0xFE0E || cp >= 0x1F3FB && cp <= 0x1F3FF || cp >= 0xE0020 && cp <= 0xE007F;
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }
}
