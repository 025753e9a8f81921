package com.digitalfte.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A WireMock server for a test class, on a free port of 127.0.0.1 only, with these extensions (a fake provider, a kill switch). */
public final class LocalWireMock {

    private LocalWireMock() {
    }

    public static WireMockExtension server(Extension... extensions) {
        return WireMockExtension.newInstance().options(options(extensions)).build();
    }

    static WireMockConfiguration options(Extension... extensions) {
        return wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(extensions);
    }
}
