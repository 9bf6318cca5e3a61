package dev.vdb.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares the key a request presents, in the {@code api-key} header or as
 * {@code Authorization: Bearer <key>} (both as Qdrant takes them), with the configured key in
 * constant time: both
 * are hashed with SHA-256 first so that neither the content nor the length of the key leaks
 * through timing. Immutable and thread-safe.
 */
final class ApiKeyCheck {
    static final String HEADER = "api-key";
    private static final String BEARER = "bearer ";

    private final byte[] expectedDigest;

    ApiKeyCheck(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            throw new IllegalArgumentException("api-key must not be empty");
        }
        this.expectedDigest = sha256(apiKey);
    }

    /** True when either header carries the key. */
    boolean accepts(String apiKeyHeader, String authorizationHeader) {
        if (apiKeyHeader != null) {
            return accepts(apiKeyHeader);
        }
        return authorizationHeader != null && authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && accepts(authorizationHeader.substring(BEARER.length()).trim());
    }

    private boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
