package com.digitalfte.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;

/**
 * WireMock on a free port of 127.0.0.1 where every request is answered by a {@link FakeTwilio},
 * which forgets before each test what it was sent: register it as a static extension.
 */
public final class FakeTwilioServer extends WireMockExtension {

    private final FakeTwilio twilio;

    public FakeTwilioServer() {
        this(new FakeTwilio());
    }

    private FakeTwilioServer(FakeTwilio twilio) {
        super(WireMockExtension.newInstance().options(LocalWireMock.options(twilio)));
        this.twilio = twilio;
    }

    /** What Twilio was asked to send, and the hooks and refusals a test arms. */
    public FakeTwilio twilio() {
        return twilio;
    }

    @Override
    protected void onBeforeEach(WireMockRuntimeInfo info) {
        twilio.reset();
        stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(twilio.getName())));
    }
}
