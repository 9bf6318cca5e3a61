package dev.vdb.bench.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which tenant each point belongs to: {@code tenants} tenants with Zipf-skewed sizes (tenant r,
 * from 1, holds about {@code n / (r^s × H)} points, at least one), points given to tenants at
 * random (a tenant's points spread over every cluster of the data); and the size buckets the
 * report groups tenants by, with a few tenants sampled from each.
 */
record TenantLayout(int tenants, int[] tenantOf, int[] sizes) {

    /** Size buckets, largest first: a tenant of at least {@code BUCKET_FLOORS[i]} points (and less than the one before). */
    static final int[] BUCKET_FLOORS = {5_000, 1_000, 100, 0};

    static TenantLayout zipf(int n, int tenants, double exponent, long seed) {
        double[] weights = new double[tenants];
        double total = 0;
        for (int r = 0; r < tenants; r++) {
            weights[r] = 1 / Math.pow(r + 1, exponent);
            total += weights[r];
        }
        int[] sizes = new int[tenants];
        int assigned = 0;
        for (int r = 0; r < tenants; r++) {
            sizes[r] = Math.max(1, (int) Math.round(n * weights[r] / total));
            assigned += sizes[r];
        }
        sizes[0] += n - assigned; // rounding goes to the largest tenant
        int[] tenantOf = new int[n];
        int next = 0;
        for (int r = 0; r < tenants; r++) {
            for (int i = 0; i < sizes[r]; i++) {
                tenantOf[next++] = r;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = tenantOf[i];
            tenantOf[i] = tenantOf[j];
            tenantOf[j] = t;
        }
        return new TenantLayout(tenants, tenantOf, sizes);
    }

    static String name(int tenant) {
        return "tenant-" + tenant;
    }

    /** The label of bucket {@code b}. */
    static String bucketLabel(int b) {
        int floor = BUCKET_FLOORS[b];
        if (b == 0) {
            return String.format(java.util.Locale.ROOT, ">= %,d", floor);
        }
        return String.format(java.util.Locale.ROOT, "%,d-%,d", floor, BUCKET_FLOORS[b - 1] - 1);
    }

    /** Up to {@code perBucket} tenants of bucket {@code b}, spread evenly over its ranks. */
    List<Integer> sample(int b, int perBucket) {
        int ceiling = b == 0 ? Integer.MAX_VALUE : BUCKET_FLOORS[b - 1];
        List<Integer> in = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            if (sizes[t] >= BUCKET_FLOORS[b] && sizes[t] < ceiling) {
                in.add(t);
            }
        }
        if (in.size() <= perBucket) {
            return in;
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < perBucket; i++) {
            out.add(in.get((int) ((long) i * (in.size() - 1) / Math.max(1, perBucket - 1))));
        }
        return out;
    }

    /** The points of {@code tenant}. */
    int[] pointsOf(int tenant) {
        int[] out = new int[sizes[tenant]];
        int n = 0;
        for (int i = 0; i < tenantOf.length; i++) {
            if (tenantOf[i] == tenant) {
                out[n++] = i;
            }
        }
        return out;
    }
}
