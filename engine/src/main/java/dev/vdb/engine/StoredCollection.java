package dev.vdb.engine;

/**
 * A collection's catalog entry, stored as JSON in the default column family under
 * {@code collection/<name>}.
 *
 * @param format catalog entry format version ({@value #FORMAT})
 * @param columnFamily the column family holding the collection's points; a fresh name per
 *     creation, so a dropped and re-created collection never sees old data
 */
record StoredCollection(int format, String name, String columnFamily, CollectionConfig config) {
    static final int FORMAT = 1;
}
