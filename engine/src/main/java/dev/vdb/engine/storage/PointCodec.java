package dev.vdb.engine.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.payload.PayloadValues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Binary layout of ids, keys and records inside a collection's column family (see
 * docs/ARCHITECTURE.md). Keys start with a one-byte kind:
 * <ul>
 *   <li>{@code 'v' + id} → vector record: format byte, int ordinal, int dimension, floats (LE), the
 *       vector exactly as the user gave it;</li>
 *   <li>{@code 'd' + id} → document record: format byte, int payload length, payload JSON
 *       (UTF-8), then a text flag byte and, when set, int length and UTF-8 text;</li>
 *   <li>{@code 'o' + ordinal (4 bytes BE)} → id: the ordinal → id map of live points;</li>
 *   <li>{@code 'l' + sequence (8 bytes BE)} → the change log: the points write {@code sequence}
 *       touched ({@link ChangeLog});</li>
 *   <li>{@code 'm' + name} → collection metadata (next ordinal, write sequence, the states of the
 *       derived files).</li>
 * </ul>
 * An id is encoded as a tag byte (0 = number, 1 = string) followed by 8 big-endian bytes or the
 * UTF-8 string. Stateless and thread-safe; every method allocates its result.
 */
public final class PointCodec {

    public static final byte VECTOR = 'v';
    public static final byte DOC = 'd';
    public static final byte ORDINAL = 'o';
    public static final byte META = 'm';
    public static final byte LOG = 'l';

    private static final byte FORMAT = 1;
    private static final byte NUM_ID = 0;
    private static final byte STR_ID = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final byte[] NEXT_ORDINAL_KEY = metaKey("next_ordinal");
    public static final byte[] ID_MAP_STATE_KEY = metaKey("id_map_state");
    public static final byte[] PAYLOAD_INDEXES_KEY = metaKey("payload_indexes");
    public static final byte[] TENANT_FIELD_KEY = metaKey("tenant_field");
    public static final byte[] TEXT_INDEX_STATE_KEY = metaKey("text_index_state");
    public static final byte[] GRAPH_STATE_KEY = metaKey("graph_state");
    public static final byte[] PAYLOAD_INDEX_STATE_KEY = metaKey("payload_index_state");
    public static final byte[] WRITE_SEQUENCE_KEY = metaKey("write_sequence");
    public static final byte[] VECTOR_FILE_STATE_KEY = metaKey("vector_file_state");
    public static final byte[] CODES_STATE_KEY = metaKey("codes_state");

    private PointCodec() {}

    public static byte[] idBytes(PointId id) {
        return switch (id) {
            case PointId.Num n -> ByteBuffer.allocate(9).put(NUM_ID).putLong(n.id()).array();
            case PointId.Str s -> {
                byte[] utf8 = s.id().getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[utf8.length + 1];
                out[0] = STR_ID;
                System.arraycopy(utf8, 0, out, 1, utf8.length);
                yield out;
            }
        };
    }

    public static PointId id(byte[] bytes, int offset) {
        if (bytes.length - offset < 2) {
            throw new IllegalStateException("corrupt id of " + (bytes.length - offset) + " bytes");
        }
        return switch (bytes[offset]) {
            case NUM_ID -> PointId.of(ByteBuffer.wrap(bytes, offset + 1, 8).getLong());
            case STR_ID -> PointId.of(new String(bytes, offset + 1, bytes.length - offset - 1, StandardCharsets.UTF_8));
            default -> throw new IllegalStateException("corrupt id tag " + bytes[offset]);
        };
    }

    /** The id in {@code length} bytes of {@code buffer} from {@code offset} (absolute positions). */
    public static PointId id(ByteBuffer buffer, int offset, int length) {
        if (length - offset < 2) {
            throw new IllegalStateException("corrupt id of " + (length - offset) + " bytes");
        }
        return switch (buffer.get(offset)) {
            case NUM_ID -> PointId.of(buffer.getLong(offset + 1));
            case STR_ID -> {
                byte[] utf8 = new byte[length - offset - 1];
                buffer.get(offset + 1, utf8);
                yield PointId.of(new String(utf8, StandardCharsets.UTF_8));
            }
            default -> throw new IllegalStateException("corrupt id tag " + buffer.get(offset));
        };
    }

    /**
     * The dimension of a vector record of {@code length} bytes in {@code record} (little-endian,
     * from position 0), after checking its format and length.
     */
    public static int dimensionOfVectorRecord(ByteBuffer record, int length) {
        if (length < 9 || record.get(0) != FORMAT) {
            throw new IllegalStateException("unknown vector record format " + (length == 0 ? "(empty)" : Byte.toString(record.get(0))));
        }
        int dim = record.getInt(5);
        if (dim < 0 || length != 9 + 4 * dim) {
            throw new IllegalStateException("corrupt vector record: dimension " + dim + " in " + length + " bytes");
        }
        return dim;
    }

    public static byte[] key(byte kind, byte[] idBytes) {
        byte[] key = new byte[idBytes.length + 1];
        key[0] = kind;
        System.arraycopy(idBytes, 0, key, 1, idBytes.length);
        return key;
    }

    public static byte[] ordinalKey(int ordinal) {
        return ByteBuffer.allocate(5).put(ORDINAL).putInt(ordinal).array();
    }

    public static int ordinalOfKey(byte[] key) {
        return ByteBuffer.wrap(key, 1, 4).getInt();
    }

    /** The key of the change-log record of write {@code sequence}: sorts by sequence. */
    public static byte[] logKey(long sequence) {
        return ByteBuffer.allocate(9).put(LOG).putLong(sequence).array();
    }

    public static byte[] longValue(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    public static byte[] metaKey(String name) {
        return key(META, name.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] intValue(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    public static int intOf(byte[] value) {
        return ByteBuffer.wrap(value).getInt();
    }

    public static byte[] vectorRecord(int ordinal, float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(9 + 4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(FORMAT).putInt(ordinal).putInt(vector.length);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    public static int ordinalOfVectorRecord(byte[] record) {
        checkFormat(record, "vector");
        return ByteBuffer.wrap(record, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public static float[] vectorOfRecord(byte[] record) {
        checkFormat(record, "vector");
        ByteBuffer buf = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        int dim = buf.getInt(5);
        if (dim < 0 || record.length != 9 + 4 * dim) {
            throw new IllegalStateException("corrupt vector record: dimension " + dim + " in " + record.length + " bytes");
        }
        float[] vector = new float[dim];
        buf.position(9);
        buf.asFloatBuffer().get(vector);
        return vector;
    }

    public static byte[] docRecord(Map<String, Object> payload, String text) {
        byte[] json = PayloadValues.toJson(payload);
        byte[] utf8 = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(1 + 4 + json.length + 1 + (utf8 == null ? 0 : 4 + utf8.length));
        buf.put(FORMAT).putInt(json.length).put(json);
        if (utf8 == null) {
            buf.put((byte) 0);
        } else {
            buf.put((byte) 1).putInt(utf8.length).put(utf8);
        }
        return buf.array();
    }

    /** The payload of a document record as an unmodifiable map. */
    public static Map<String, Object> payloadMapOfDoc(byte[] record) {
        checkFormat(record, "document");
        return PayloadValues.fromJson(record, 5, ByteBuffer.wrap(record, 1, 4).getInt());
    }

    /** The payload of a document record as a JSON tree, for payload indexes and filters. */
    public static ObjectNode payloadOfDoc(byte[] record) {
        checkFormat(record, "document");
        int len = ByteBuffer.wrap(record, 1, 4).getInt();
        try {
            return (ObjectNode) JSON.readTree(record, 5, len);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("corrupt payload in document record", e);
        }
    }

    public static String textOfDoc(byte[] record) {
        checkFormat(record, "document");
        ByteBuffer buf = ByteBuffer.wrap(record);
        int at = 5 + buf.getInt(1);
        if (record[at] == 0) {
            return null;
        }
        int len = buf.getInt(at + 1);
        return new String(record, at + 5, len, StandardCharsets.UTF_8);
    }

    private static void checkFormat(byte[] record, String what) {
        if (record.length < 5 || record[0] != FORMAT) {
            throw new IllegalStateException("unknown " + what + " record format "
                    + (record.length == 0 ? "(empty)" : Byte.toString(record[0])));
        }
    }
}
