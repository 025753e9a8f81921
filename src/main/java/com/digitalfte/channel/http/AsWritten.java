package com.digitalfte.channel.http;

import java.util.function.UnaryOperator;

/** The draft format of a provider that takes plain text: the draft exactly as the owner wrote it. */
public final class AsWritten implements UnaryOperator<String> {

    @Override
    public String apply(String draft) {
        return draft;
    }
}
