package com.digitalfte.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * X's documented example ("Creating a signature", developer.x.com): consumer key
 * xvz1evFS4wEEPTGEFPHBog, token 370773112-GmHx..., nonce kYjz..., timestamp 1318622958, a POST of
 * status=Hello Ladies + Gentlemen, a signed OAuth request! to statuses/update.json?include_entities=true.
 */
class OAuth1Test {

    private static final OAuth1 DOCUMENTED = new OAuth1("xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
    private static final String NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
    private static final long TIMESTAMP = 1318622958L;
    private static final Map<String, String> STATUS = Map.of("status", "Hello Ladies + Gentlemen, a signed OAuth request!");

    @Test
    void theSignatureBaseStringIsTheDocumentedOne() {
        Map<String, String> oauth = new TreeMap<>(Map.of("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog", "oauth_nonce", NONCE,
                "oauth_signature_method", "HMAC-SHA1", "oauth_timestamp", "1318622958",
                "oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "oauth_version", "1.0"));
        assertThat(OAuth1.baseString("post", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", oauth, STATUS))
                .isEqualTo("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue"
                        + "%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
                        + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958"
                        + "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0"
                        + "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
    }

    @Test
    void theHeaderCarriesTheDocumentedSignature() {
        String header = DOCUMENTED.authorization("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                STATUS, NONCE, TIMESTAMP);
        assertThat(header).isEqualTo("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
                + "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
                + "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", "
                + "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
                + "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", oauth_version=\"1.0\"");
    }

    /** The same example at its older address (/1/), whose documented signature is the one "Authorizing a request" shows. */
    @Test
    void theOlderDocumentedAddressGivesItsDocumentedSignature() {
        assertThat(DOCUMENTED.authorization("POST", "https://api.twitter.com/1/statuses/update.json?include_entities=true",
                STATUS, NONCE, TIMESTAMP)).contains("oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\"");
    }

    @Test
    void theDefaultPortAndUpperCaseHostAreNormalisedAndEachRequestHasItsOwnNonce() {
        String plain = DOCUMENTED.authorization("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                STATUS, NONCE, TIMESTAMP);
        assertThat(DOCUMENTED.authorization("POST", "https://API.Twitter.com:443/1.1/statuses/update.json?include_entities=true",
                STATUS, NONCE, TIMESTAMP)).isEqualTo(plain);
        assertThat(DOCUMENTED.authorization("POST", "https://api.x.com/2/tweets"))
                .isNotEqualTo(DOCUMENTED.authorization("POST", "https://api.x.com/2/tweets"));
    }
}
