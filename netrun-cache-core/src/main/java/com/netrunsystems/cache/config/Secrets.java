package com.netrunsystems.cache.config;

/** Hides secrets in text meant for logs and messages. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * Returns {@code url} with the password of its user-info replaced by {@code ****}:
     * {@code redis://app:secret@host:6379/0} becomes {@code redis://app:****@host:6379/0}, and
     * {@code redis://secret@host} (a password alone, as redis-py reads it) becomes {@code redis://****@host}.
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        int schemeEnd = url.indexOf("://");
        int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int at = url.lastIndexOf('@');
        if (at < authorityStart) {
            return url;
        }
        String userInfo = url.substring(authorityStart, at);
        int colon = userInfo.indexOf(':');
        String masked = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
        return url.substring(0, authorityStart) + masked + url.substring(at);
    }
}
