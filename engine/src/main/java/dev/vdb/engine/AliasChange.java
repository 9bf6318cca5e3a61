package dev.vdb.engine;

/**
 * One change to the database's collection aliases, as Qdrant's alias actions
 * ({@link VectorDb#updateAliases}): a list of them applies as one atomic switch, so that a
 * collection rebuilt beside the one in use takes over its alias with no search seeing neither.
 */
public sealed interface AliasChange {

    /** Points {@code alias} at {@code collection}, re-pointing it if it exists. */
    static AliasChange create(String alias, String collection) {
        return new Create(alias, collection);
    }

    /** Removes {@code alias} (nothing when there is none). */
    static AliasChange delete(String alias) {
        return new Delete(alias);
    }

    /** Renames {@code from}, which must exist, to {@code to}, which then points where {@code from} did. */
    static AliasChange rename(String from, String to) {
        return new Rename(from, to);
    }

    /** See {@link AliasChange#create}. */
    record Create(String alias, String collection) implements AliasChange {}

    /** See {@link AliasChange#delete}. */
    record Delete(String alias) implements AliasChange {}

    /** See {@link AliasChange#rename}. */
    record Rename(String from, String to) implements AliasChange {}
}
