package dev.vdb.cluster;

/**
 * What one shard did with its part of a write.
 *
 * @param applied true when the shard committed and applied its part (atomically), false when
 *     it was not acknowledged (it may still be applied later, never in part)
 * @param count points the part touched when applied
 * @param error why it was not applied, or null
 */
public record ShardResult(int shard, boolean applied, long count, String error) {}
