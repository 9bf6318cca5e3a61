package dev.vdb.bench.engines;

/**
 * The base vectors an engine indexes, row by row: arrays already on the heap ({@link #of}), or
 * rows read from a file ({@link FvecsRows}, for the scale run, where a million 768-d vectors do
 * not fit the 2 GB heap the engines get). Rows are prepared for the metric (unit length for
 * cosine). Thread-safe: rows may be read from several threads.
 */
public interface BaseVectors {

    int size();

    int dimension();

    /** Row {@code i}; the caller must not modify it (a heap row is the array itself). */
    float[] row(int i);

    /** Every row in one heap array (a mapped file copies all of it onto the heap). */
    default float[][] toArray() {
        float[][] rows = new float[size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(i);
        }
        return rows;
    }

    /** Rows held on the heap. */
    static BaseVectors of(float[][] rows) {
        return new BaseVectors() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public int dimension() {
                return rows[0].length;
            }

            @Override
            public float[] row(int i) {
                return rows[i];
            }

            @Override
            public float[][] toArray() {
                return rows;
            }
        };
    }

}
