package dev.vdb.engine;

/** The named alias does not exist (HTTP 404). */
public final class NoSuchAliasException extends RuntimeException {
    public NoSuchAliasException(String alias) {
        super("alias '" + alias + "' does not exist");
    }
}
