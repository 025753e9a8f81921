package com.digitalfte.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each channel's limit, as the owner is told about a draft over it. */
class PostLengthsTest {

    @Test
    void aDraftOverItsChannelsLimitIsRefusedWithTheCountAndWhatToDo() {
        assertThat(PostLengths.tooLong("x_reply", "a".repeat(280))).isEmpty();
        assertThat(PostLengths.tooLong("x_reply", "a".repeat(281))).hasValueSatisfying(why -> assertThat(why)
                .contains("281 characters", "X takes at most 280", "a link counts 23", "shorten it"));
        assertThat(PostLengths.tooLong("linkedin_post", "b".repeat(3001))).hasValueSatisfying(why -> assertThat(why).contains("LinkedIn takes at most 3000"));
        assertThat(PostLengths.tooLong("facebook_post", "c".repeat(63_206))).isEmpty();
        assertThat(PostLengths.tooLong("instagram_post", "d".repeat(2201))).isPresent();
        assertThat(PostLengths.tooLong("email_reply", "e".repeat(100_000))).isEmpty();
        assertThat(PostLengths.max("x_post")).hasValue(280);
        assertThat(PostLengths.max("email_reply")).isEmpty();
    }

    @Test
    void anInstagramCaptionTakesAtMostThirtyHashtags() {
        assertThat(PostLengths.tooLong("instagram_post", "#a ".repeat(30))).isEmpty();
        assertThat(PostLengths.tooLong("instagram_post", "#a ".repeat(31))).hasValueSatisfying(why -> assertThat(why).contains("31 hashtags"));
    }
}
