package dev.vdb.engine.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The collection's change log: every write batch also stores, under {@code 'l' + sequence}, which
 * points it touched (id, ordinal before, ordinal after; -1 where there was or is none), in the
 * same RocksDB batch, so the log holds exactly the committed writes. Derived state saved at
 * sequence S (the payload indexes, the BM25 index, the id map) is brought up to date on open by
 * replaying the entries after S: O(changes since the save), never a rebuild. A checkpoint that
 * saves everything at S truncates the log up to S.
 *
 * <p>Record: int count, then per entry short id length, id bytes, int ordinal before, int ordinal
 * after. Stateless; allocates what it encodes and decodes.
 */
public final class ChangeLog {

    private ChangeLog() {}

    /** One point a write touched. */
    public record Entry(byte[] id, int before, int after) {}

    public static byte[] encode(byte[][] ids, int[] before, int[] after) {
        int size = 4;
        for (byte[] id : ids) {
            size += 2 + id.length + 8;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).putInt(ids.length);
        for (int i = 0; i < ids.length; i++) {
            buf.putShort((short) ids[i].length).put(ids[i]).putInt(before[i]).putInt(after[i]);
        }
        return buf.array();
    }

    static List<Entry> decode(byte[] record) {
        ByteBuffer buf = ByteBuffer.wrap(record);
        int n = buf.getInt();
        if (n < 0 || n > record.length) {
            throw new IllegalStateException("corrupt change-log record of " + n + " entries in " + record.length + " bytes");
        }
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[buf.getShort() & 0xffff];
            buf.get(id);
            entries.add(new Entry(id, buf.getInt(), buf.getInt()));
        }
        return entries;
    }
}
