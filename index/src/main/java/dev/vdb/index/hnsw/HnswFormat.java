package dev.vdb.index.hnsw;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.CRC32C;

/**
 * The persisted form of an HNSW graph (version {@value #VERSION}, described in
 * {@code docs/FORMAT.md}): a header with magic, version and parameters, one record per
 * ordinal (state, level, neighbour lists) and a CRC32C of everything before it. Big-endian.
 *
 * <p>Stateless; reading validates every field before trusting it, so a damaged stream fails
 * with an {@link IOException} instead of an oversized allocation or a wrong graph.
 */
final class HnswFormat {

    /** "VHNW". */
    static final int MAGIC = 0x56484E57;
    static final int VERSION = 1;

    private HnswFormat() {}

    static void write(HnswIndex index, HnswGraph graph, OutputStream out) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), new CRC32C());
        DataOutputStream data = new DataOutputStream(checked);
        HnswParams params = index.params();
        int nodes = highestPresent(graph) + 1;
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(index.similarity().name());
        data.writeInt(index.vectors().dimension());
        data.writeInt(params.m());
        data.writeInt(params.efConstruct());
        data.writeLong(params.seed());
        data.writeInt(nodes);
        data.writeLong(graph.entry.get());
        int[] list = new int[graph.maxConnections(0)];
        for (int node = 0; node < nodes; node++) {
            byte state = graph.state(node);
            data.writeByte(state);
            if (state == HnswGraph.ABSENT) {
                continue;
            }
            int level = graph.level(node);
            data.writeByte(level);
            for (int l = 0; l <= level; l++) {
                int n = graph.neighbours(node, l, list);
                data.writeShort(n);
                for (int i = 0; i < n; i++) {
                    data.writeInt(list[i]);
                }
            }
        }
        data.flush();
        int crc = (int) checked.getChecksum().getValue();
        data.writeInt(crc);
        data.flush();
    }

    static HnswIndex read(InputStream in, VectorStore vectors, VectorSimilarity similarity) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(in, 1 << 16), new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        try {
            return read(data, checked, vectors, similarity);
        } catch (EOFException e) {
            throw new IOException("HNSW graph is truncated: the stream ended before its checksum", e);
        }
    }

    private static HnswIndex read(DataInputStream data, CheckedInputStream checked, VectorStore vectors,
                                  VectorSimilarity similarity) throws IOException {
        int magic = data.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not an HNSW graph: magic 0x%08X, expected 0x%08X", magic, MAGIC));
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("HNSW graph format version " + version + " is not supported (expected " + VERSION + ")");
        }
        String similarityName = data.readUTF();
        if (!similarityName.equals(similarity.name())) {
            throw damaged("similarity " + similarityName + " does not match " + similarity);
        }
        int dimension = data.readInt();
        if (dimension != vectors.dimension()) {
            throw damaged("dimension " + dimension + " does not match the store's " + vectors.dimension());
        }
        int m = data.readInt();
        int efConstruct = data.readInt();
        long seed = data.readLong();
        HnswParams params;
        try {
            params = new HnswParams(m, efConstruct, seed);
        } catch (IllegalArgumentException e) {
            throw damaged("bad parameters: " + e.getMessage());
        }
        int nodes = data.readInt();
        if (nodes < 0 || nodes > vectors.size()) {
            throw damaged("node count " + nodes + " outside [0, " + vectors.size() + "] (vectors in the store)");
        }
        long entry = data.readLong();
        HnswIndex index = new HnswIndex(vectors, similarity, params);
        HnswGraph graph = index.graph();
        int[] list = new int[graph.maxConnections(0)];
        int liveNodes = 0;
        int deletedNodes = 0;
        for (int node = 0; node < nodes; node++) {
            byte state = data.readByte();
            if (state == HnswGraph.ABSENT) {
                continue;
            }
            if (state != HnswGraph.LIVE && state != HnswGraph.DELETED) {
                throw damaged("node " + node + " has state " + state);
            }
            int level = data.readUnsignedByte();
            if (level > 31) {
                throw damaged("node " + node + " has level " + level);
            }
            graph.claim(node);
            graph.allocate(node, level);
            for (int l = 0; l <= level; l++) {
                int n = data.readUnsignedShort();
                if (n > graph.maxConnections(l)) {
                    throw damaged("node " + node + " has " + n + " neighbours on level " + l);
                }
                for (int i = 0; i < n; i++) {
                    int neighbour = data.readInt();
                    if (neighbour < 0 || neighbour >= nodes) {
                        throw damaged("node " + node + " links to " + neighbour);
                    }
                    list[i] = neighbour;
                }
                graph.setNeighbours(node, l, list, n);
            }
            if (state == HnswGraph.DELETED) {
                graph.markDeleted(node);
                deletedNodes++;
            } else {
                liveNodes++;
            }
        }
        int expected = (int) checked.getChecksum().getValue();
        int stored = data.readInt();
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
