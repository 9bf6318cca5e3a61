package dev.vdb.engine.payload.field;

/**
 * Sorts parallel arrays of (double key, int value) pairs by key, then value: a quicksort with
 * median-of-three pivots and insertion sort for short ranges; and finds bounds in sorted keys.
 * In place; allocates nothing. Stateless.
 */
final class PairSort {

    private static final int INSERTION = 24;

    private PairSort() {}

    /** Sorts the first {@code n} pairs. */
    static void sort(double[] keys, int[] values, int n) {
        quicksort(keys, values, 0, n - 1);
    }

    private static void quicksort(double[] k, int[] v, int lo, int hi) {
        while (hi - lo > INSERTION) {
            int mid = (lo + hi) >>> 1;
            if (less(k, v, mid, lo)) {
                swap(k, v, mid, lo);
            }
            if (less(k, v, hi, lo)) {
                swap(k, v, hi, lo);
            }
            if (less(k, v, hi, mid)) {
                swap(k, v, hi, mid);
            }
            double pk = k[mid];
            int pv = v[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (compare(k[i], v[i], pk, pv) < 0) {
                    i++;
                }
                while (compare(k[j], v[j], pk, pv) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(k, v, i++, j--);
                }
            }
            // recurse into the smaller side, loop on the larger: stack depth stays logarithmic
            if (j - lo < hi - i) {
                quicksort(k, v, lo, j);
                lo = i;
            } else {
                quicksort(k, v, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            double key = k[i];
            int value = v[i];
            int j = i - 1;
            while (j >= lo && compare(k[j], v[j], key, value) > 0) {
                k[j + 1] = k[j];
                v[j + 1] = v[j];
                j--;
            }
            k[j + 1] = key;
            v[j + 1] = value;
        }
    }

    private static boolean less(double[] k, int[] v, int a, int b) {
        return compare(k[a], v[a], k[b], v[b]) < 0;
    }

    private static int compare(double k1, int v1, double k2, int v2) {
        int c = Double.compare(k1, k2);
        return c != 0 ? c : Integer.compare(v1, v2);
    }

    private static void swap(double[] k, int[] v, int a, int b) {
        double tk = k[a];
        k[a] = k[b];
        k[b] = tk;
        int tv = v[a];
        v[a] = v[b];
        v[b] = tv;
    }

    /** First index in {@code a[0..n)} (ascending) whose value is >= {@code v}. */
    static int lowerBound(double[] a, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index in {@code a[0..n)} (ascending) whose value is > {@code v}. */
    static int upperBound(double[] a, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
