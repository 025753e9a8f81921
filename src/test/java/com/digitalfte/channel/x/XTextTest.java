package com.digitalfte.channel.x;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** X's weighted length, on the cases twitter-text's conformance file lists. */
class XTextTest {

    @Test
    void latinCountsOneAndALinkTwentyThreeWhateverItsLength() {
        assertThat(XText.length("Hello")).isEqualTo(5);
        assertThat(XText.length("see https://example.com/a/very/long/path/that/goes/on/and/on?x=1")).isEqualTo(4 + 23);
        assertThat(XText.length("www.example.com")).isEqualTo(23);
        assertThat(XText.length("a".repeat(280))).isEqualTo(XText.MAX);
    }

    @Test
    void cjkAndEmojiCountTwoAndAnEmojiSequenceCountsTwoAsAWhole() {
        assertThat(XText.length("你好")).isEqualTo(4);
        assertThat(XText.length("\uD83D\uDE00")).isEqualTo(2);
        // family: man ZWJ woman ZWJ girl
        assertThat(XText.length("\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67")).isEqualTo(2);
        // thumbs up with a skin tone, a flag (two regional indicators)
        assertThat(XText.length("\uD83D\uDC4D\uD83C\uDFFD")).isEqualTo(2);
        assertThat(XText.length("\uD83C\uDDE9\uD83C\uDDEA")).isEqualTo(2);
        // an accent written as two code points is one after NFC
        assertThat(XText.length("e\u0301")).isEqualTo(1);
    }
}
