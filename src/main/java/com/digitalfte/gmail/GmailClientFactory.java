package com.digitalfte.gmail;

import com.google.api.client.googleapis.auth.oauth2.GoogleCredential;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.gmail.Gmail;
import java.util.Collection;
import org.apache.camel.CamelContext;
import org.apache.camel.component.google.mail.GoogleMailClientFactory;

/**
 * Gmail clients from an OAuth client id, secret and refresh token, with the API and token URLs as
 * settings (so tests can point the real client at a local server). Camel's google-mail component
 * takes it as its client factory too.
 */
public final class GmailClientFactory implements GoogleMailClientFactory {

    private final String rootUrl;
    private final String tokenUrl;

    public GmailClientFactory(String rootUrl, String tokenUrl) {
        this.rootUrl = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
        this.tokenUrl = tokenUrl;
    }

    @Override
    public Gmail makeClient(String clientId, String clientSecret, Collection<String> scopes, String applicationName,
                            String refreshToken, String accessToken) {
        NetHttpTransport transport = new NetHttpTransport();
        GsonFactory json = GsonFactory.getDefaultInstance();
        @SuppressWarnings("deprecation")
        GoogleCredential credential = new GoogleCredential.Builder()
                .setJsonFactory(json).setTransport(transport)
                .setClientSecrets(clientId, clientSecret)
                .setTokenServerEncodedUrl(tokenUrl)
                .build();
        credential.setRefreshToken(refreshToken);
        if (accessToken != null && !accessToken.isBlank()) {
            credential.setAccessToken(accessToken);
        }
        return new Gmail.Builder(transport, json, credential)
                .setApplicationName(applicationName)
                .setRootUrl(rootUrl)
                .build();
    }

    @Override
    public Gmail makeClient(CamelContext camelContext, String serviceAccountKey, Collection<String> scopes,
                            String applicationName, String delegate) {
        throw new UnsupportedOperationException("DigitalFTE reaches Gmail with an OAuth refresh token, not a service account");
    }
}
