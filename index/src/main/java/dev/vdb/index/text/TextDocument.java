package dev.vdb.index.text;

/**
 * A document's text under its ordinal, the unit {@link InvertedIndex#rebuild} reads.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ordinal the dense internal ordinal
 * @param text the raw text, analysed by the index's analyzer
 */
public record TextDocument(int ordinal, String text) {}
