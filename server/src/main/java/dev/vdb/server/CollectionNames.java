package dev.vdb.server;

import java.util.regex.Pattern;

/**
 * Validates collection names taken from request paths before they are used anywhere, so a
 * name can never become a path on disk. Stateless and thread-safe.
 */
final class CollectionNames {
    static final String RULE = "[A-Za-z0-9_-]{1,64}";
    private static final Pattern VALID = Pattern.compile(RULE);

    private CollectionNames() {}

    static String requireValid(String name) {
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "collection name must match " + RULE + ", got " + Json.quote(name));
        }
        return name;
    }
}
