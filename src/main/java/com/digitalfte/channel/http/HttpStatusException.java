package com.digitalfte.channel.http;

/** A provider answered with something other than 2xx: what it answered travels with the failure. */
public final class HttpStatusException extends Exception {

    private final transient HttpAnswer answer;

    public HttpStatusException(String provider, HttpAnswer answer) {
        super(provider + " answered " + answer.status() + ": " + answer.said());
        this.answer = answer;
    }

    public HttpAnswer answer() {
        return answer;
    }
}
