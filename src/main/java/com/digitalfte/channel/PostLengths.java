package com.digitalfte.channel;

import com.digitalfte.channel.x.XText;
import java.util.Map;
import java.util.Optional;

/**
 * How long a post may be on each channel, counted as the channel counts: X's weighted 280 (a link
 * 23), LinkedIn's 3000 characters, a Facebook page's 63,206, an Instagram caption's 2200 with at
 * most 30 hashtags. A longer draft is flagged when it is drafted and refused at approval, before
 * anything is asked of the provider.
 */
public final class PostLengths {

    private record Limit(String channel, int max) {
    }

    private static final Map<String, Limit> LIMITS = Map.of(
            "x_reply", new Limit("X", XText.MAX),
            "x_post", new Limit("X", XText.MAX),
            "linkedin_post", new Limit("LinkedIn", 3000),
            "facebook_post", new Limit("Facebook", 63_206),
            "instagram_post", new Limit("Instagram", 2200));
    private static final int MAX_HASHTAGS = 30;

    private PostLengths() {
    }

    /** The most characters a draft of this type may have, or empty for a type without a limit (an email). */
    public static Optional<Integer> max(String type) {
        return Optional.ofNullable(LIMITS.get(type)).map(Limit::max);
    }

    /** Why this draft does not fit its channel, in the owner's words, or empty when it fits. */
    public static Optional<String> tooLong(String type, String draft) {
        Limit limit = LIMITS.get(type);
        if (limit == null) {
            return Optional.empty();
        }
        int length = type.startsWith("x_") ? XText.length(draft) : draft.codePointCount(0, draft.length());
        if (length > limit.max()) {
            return Optional.of("the draft is " + length + " characters; " + limit.channel() + " takes at most " + limit.max()
                    + (type.startsWith("x_") ? " (a link counts 23, an emoji 2)" : "") + ": shorten it, then approve it again");
        }
        long hashtags = draft.codePoints().filter(c -> c == '#').count();
        if (type.equals("instagram_post") && hashtags > MAX_HASHTAGS) {
            return Optional.of("the caption has " + hashtags + " hashtags; Instagram takes at most " + MAX_HASHTAGS + ": remove some, then approve it again");
        }
        return Optional.empty();
    }
}
