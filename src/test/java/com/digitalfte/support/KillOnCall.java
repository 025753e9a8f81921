package com.digitalfte.support;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A WireMock transformer for stubs that name it: once armed, the next request it serves runs the
 * hook (kills the agent) after the provider took the request and before the answer goes back,
 * where a crash leaves the poster not knowing whether it posted.
 */
public final class KillOnCall implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "kill-on-call";

    private final AtomicReference<Runnable> armed = new AtomicReference<>();

    public void onNextCall(Runnable hook) {
        armed.set(hook);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Runnable hook = armed.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
        return event.getResponseDefinition();
    }
}
