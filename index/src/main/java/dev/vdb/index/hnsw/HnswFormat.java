package dev.vdb.index.hnsw;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.GraphVectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The persisted form of an HNSW graph (version {@value #VERSION}, described in
 * {@code docs/FORMAT.md}): a header with magic, version and parameters, one record per
 * ordinal (state, level, neighbour lists, each with how many of its first neighbours passed the
 * inserter's diversity check) and a CRC32C of everything before it. Big-endian. Reads version 1
 * too (no such counts: every list then loads {@link HnswGraph#unresolved}).
 *
 * <p>Stateless; reading validates every field before trusting it, so a damaged stream fails
 * with an {@link IOException} instead of an oversized allocation or a wrong graph.
 */
final class HnswFormat {

    /** "VHNW". */
    static final int MAGIC = 0x56484E57;
    static final int VERSION = 2;
    /** Version 1: the lists without their passed counts. */
    static final int VERSION_WITHOUT_PASSED = 1;
    /** A list's passed count in the file when it is {@link HnswGraph#unresolved}. */
    static final int UNRESOLVED = 0xFFFF;

    private HnswFormat() {}

    static void write(HnswIndex index, HnswGraph graph, OutputStream out) throws IOException {
        HnswParams params = index.params();
        int nodes = highestPresent(graph) + 1;
        byte[] similarity = index.similarity().name().getBytes(StandardCharsets.UTF_8);
        long size = 4 + 4 + 2 + similarity.length + 4 + 4 + 4 + 8 + 4 + 8 + 4;
        for (int node = 0; node < nodes; node++) {
            size++;
            if (graph.state(node) != HnswGraph.ABSENT) {
                size++;
                for (int l = 0, top = graph.level(node); l <= top; l++) {
                    size += 2 + 2 + 4L * graph.count(graph.listArray(node, l), graph.listBase(node, l));
                }
            }
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("HNSW graph of " + size + " bytes is too large to save");
        }
        // one buffer and one checksum pass: per-int stream writes through a checksum cost 10x more
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        buf.putInt(MAGIC).putInt(VERSION).putShort((short) similarity.length).put(similarity);
        buf.putInt(index.vectors().dimension()).putInt(params.m()).putInt(params.efConstruct()).putLong(params.seed());
        buf.putInt(nodes).putLong(graph.entry.get());
        int[] list = new int[graph.maxConnections(0)];
        for (int node = 0; node < nodes; node++) {
            byte state = graph.state(node);
            buf.put(state);
            if (state == HnswGraph.ABSENT) {
                continue;
            }
            int level = graph.level(node);
            buf.put((byte) level);
            for (int l = 0; l <= level; l++) {
                int n;
                int passed;
                synchronized (graph.lock(node)) { // the list and its passed count as one (inserts may run)
                    n = graph.neighbours(node, l, list);
                    passed = graph.checked(graph.listArray(node, l), graph.listBase(node, l));
                }
                buf.putShort((short) n).putShort((short) (passed == graph.unresolved ? UNRESOLVED : passed));
                for (int i = 0; i < n; i++) {
                    buf.putInt(list[i]);
                }
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        out.write(buf.array(), 0, buf.position());
        out.flush();
    }

    static HnswIndex read(InputStream in, GraphVectors vectors, VectorSimilarity similarity) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length < 4) {
            throw new IOException("HNSW graph is truncated: the stream ended before its checksum");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            return read(buf, (int) crc.getValue(), vectors, similarity);
        } catch (BufferUnderflowException e) {
            throw new IOException("HNSW graph is truncated: the stream ended before its checksum", e);
        }
    }

    private static HnswIndex read(ByteBuffer data, int computedCrc, GraphVectors vectors, VectorSimilarity similarity)
            throws IOException {
        int magic = data.getInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not an HNSW graph: magic 0x%08X, expected 0x%08X", magic, MAGIC));
        }
        int version = data.getInt();
        if (version != VERSION && version != VERSION_WITHOUT_PASSED) {
            throw new IOException("HNSW graph format version " + version + " is not supported (expected "
                    + VERSION_WITHOUT_PASSED + " or " + VERSION + ")");
        }
        byte[] name = new byte[Short.toUnsignedInt(data.getShort())];
        data.get(name);
        String similarityName = new String(name, StandardCharsets.UTF_8);
        if (!similarityName.equals(similarity.name())) {
            throw damaged("similarity " + similarityName + " does not match " + similarity);
        }
        int dimension = data.getInt();
        if (dimension != vectors.dimension()) {
            throw damaged("dimension " + dimension + " does not match the store's " + vectors.dimension());
        }
        int m = data.getInt();
        int efConstruct = data.getInt();
        long seed = data.getLong();
        HnswParams params;
        try {
            params = new HnswParams(m, efConstruct, seed);
        } catch (IllegalArgumentException e) {
            throw damaged("bad parameters: " + e.getMessage());
        }
        int nodes = data.getInt();
        if (nodes < 0 || nodes > vectors.size()) {
            throw damaged("node count " + nodes + " outside [0, " + vectors.size() + "] (vectors in the store)");
        }
        long entry = data.getLong();
        HnswIndex index = new HnswIndex(vectors, similarity, params);
        HnswGraph graph = index.graph();
        int[] list = new int[graph.maxConnections(0)];
        int liveNodes = 0;
        int deletedNodes = 0;
        for (int node = 0; node < nodes; node++) {
            byte state = data.get();
            if (state == HnswGraph.ABSENT) {
                continue;
            }
            if (state != HnswGraph.LIVE && state != HnswGraph.DELETED) {
                throw damaged("node " + node + " has state " + state);
            }
            int level = Byte.toUnsignedInt(data.get());
            if (level > 31) {
                throw damaged("node " + node + " has level " + level);
            }
            graph.claim(node);
            graph.allocate(node, level);
            for (int l = 0; l <= level; l++) {
                int n = Short.toUnsignedInt(data.getShort());
                if (n > graph.maxConnections(l)) {
                    throw damaged("node " + node + " has " + n + " neighbours on level " + l);
                }
                int passed = version == VERSION_WITHOUT_PASSED ? UNRESOLVED : Short.toUnsignedInt(data.getShort());
                if (passed > n && passed != UNRESOLVED) {
                    throw damaged("node " + node + " has " + passed + " of " + n + " neighbours passed on level " + l);
                }
                for (int i = 0; i < n; i++) {
                    int neighbour = data.getInt();
                    if (neighbour < 0 || neighbour >= nodes) {
                        throw damaged("node " + node + " links to " + neighbour);
                    }
                    list[i] = neighbour;
                }
                graph.setNeighbours(node, l, list, n, passed == UNRESOLVED ? graph.unresolved : passed,
                        HnswGraph.UNKNOWN_FLOOR, null);
            }
            if (state == HnswGraph.DELETED) {
                graph.markDeleted(node);
                deletedNodes++;
            } else {
                liveNodes++;
            }
        }
        int expected = computedCrc;
        if (data.remaining() != 4) {
            throw damaged(data.remaining() < 4 ? "truncated" : (data.remaining() - 4) + " bytes after the last node");
        }
        int stored = data.getInt();
        if (stored != expected) {
            throw damaged(String.format("checksum mismatch: stored 0x%08X, computed 0x%08X", stored, expected));
        }
        if (entry != HnswGraph.NO_ENTRY) {
            int entryNode = HnswGraph.entryNode(entry);
            if (entryNode < 0 || entryNode >= nodes || graph.state(entryNode) == HnswGraph.ABSENT
                    || graph.level(entryNode) != HnswGraph.entryLevel(entry)) {
                throw damaged("entry point " + entryNode + " is not a node of its level");
            }
        } else if (liveNodes + deletedNodes > 0) {
            throw damaged("no entry point in a graph of " + (liveNodes + deletedNodes) + " nodes");
        }
        for (int node = 0; node < nodes; node++) {
            if (graph.state(node) != HnswGraph.ABSENT) {
                for (int l = 0, top = graph.level(node); l <= top; l++) {
                    int n = graph.neighbours(node, l, list);
                    for (int i = 0; i < n; i++) {
                        if (graph.state(list[i]) == HnswGraph.ABSENT || graph.level(list[i]) < l) {
                            throw damaged("node " + node + " links on level " + l + " to missing node " + list[i]);
                        }
                    }
                }
            }
        }
        graph.entry.set(entry);
        index.restoreCounts(liveNodes, deletedNodes);
        return index;
    }

    private static int highestPresent(HnswGraph graph) {
        for (int node = graph.capacity() - 1; node >= 0; node--) {
            if (graph.state(node) != HnswGraph.ABSENT) {
                return node;
            }
        }
        return -1;
    }

    private static IOException damaged(String what) {
        return new IOException("HNSW graph is damaged: " + what);
    }
}
