package dev.vdb.engine;

import java.time.Instant;

/**
 * A snapshot file as {@link Snapshots#list} describes it (Qdrant's {@code SnapshotDescription}).
 *
 * @param name the file name, e.g. {@code docs-2026-12-04-22-10-05-123.snapshot}
 * @param creationTime when the file was completed
 * @param size its length in bytes
 * @param checksum the SHA-256 of the whole file, in lower-case hex (null when its checksum file is missing)
 */
public record SnapshotInfo(String name, Instant creationTime, long size, String checksum) {}
