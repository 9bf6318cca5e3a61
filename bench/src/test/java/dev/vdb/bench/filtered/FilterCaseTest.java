package dev.vdb.bench.filtered;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Filter specs, the rows a filter admits, recall with padded ground truth, and the brute-force
 * filtered ground truth against the dataset's own (computed by numpy in float64).
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class FilterCaseTest {

    @Test
    void specsParseAndRejectBadInput() {
        assertEquals(new FilterSpec("freq_rank", FilterSpec.Op.LESS_THAN, "5000"), FilterSpec.parse("freq_rank<5000"));
        assertEquals(new FilterSpec("lexname", FilterSpec.Op.EQUALS, "noun.artifact"), FilterSpec.parse("lexname=noun.artifact"));
        assertEquals(FilterSpec.Op.SAME_AS_QUERY, FilterSpec.parse("lexname=$query").op());
        assertEquals("same_lexname", FilterSpec.parse("lexname=$query").fileName());
        FilterSpec other = FilterSpec.parse("lexname=$query.other_lexname");
        assertEquals(new FilterSpec("lexname", FilterSpec.Op.SAME_AS_QUERY, "other_lexname"), other);
        assertEquals("other_lexname", other.queryColumn());
        assertEquals("lexname=$query.other_lexname", other.toString());
        assertEquals("lexname_eq_query_other_lexname", other.fileName());
        assertEquals("lexname", FilterSpec.parse("lexname=$query").queryColumn());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("rank<many"));
        assertTrue(bad.getMessage().contains("rank<many"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("no operator"));
    }

    @Test
    void casesAdmitTheRightRowsPerQueryAndRecallCountsOnlyWhatExists() {
        MetaTable base = MetaTable.of("base", Map.of("rank", new String[] {"3", "0", "7", "1"},
                "kind", new String[] {"a", "b", "a", "c"}));
        MetaTable queries = MetaTable.of("queries", Map.of("kind", new String[] {"c", "a"}));
        FilterCase below = FilterCase.resolve(0, FilterSpec.parse("rank<3"), base, 4, null, 2);
        assertEquals(Set.of(1, 3), below.admitted(0).stream().boxed().collect(java.util.stream.Collectors.toSet()));
        assertEquals(0.5, below.meanFraction(), 1e-9);
        FilterCase same = FilterCase.resolve(1, FilterSpec.parse("kind=$query"), base, 4, queries, 2);
        assertEquals(Set.of(3), same.admitted(same.groupOf(0)).stream().boxed().collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of(0, 2), same.admitted(same.groupOf(1)).stream().boxed().collect(java.util.stream.Collectors.toSet()));
        assertEquals("{\"must\":[{\"key\":\"kind\",\"match\":{\"value\":\"a\"}}]}", same.json(same.groupOf(1)));
        MetaTable otherKinds = queries.with(Map.of("far_kind", new String[] {"a", "b"}));
        FilterCase far = FilterCase.resolve(3, FilterSpec.parse("kind=$query.far_kind"), base, 4, otherKinds, 2);
        assertEquals(Set.of(0, 2), far.admitted(far.groupOf(0)).stream().boxed().collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of(1), far.admitted(far.groupOf(1)).stream().boxed().collect(java.util.stream.Collectors.toSet()));

        same.setTruth(new int[][] {{3, -1, -1}, {2, 0, -1}}, "test");
        assertEquals(1.0, same.recall(0, new int[] {3}, 3), 1e-9, "one admitted row, found");
        assertEquals(0.5, same.recall(1, new int[] {2, 1}, 3), 1e-9);
        assertTrue(same.shortAnswer(1, new int[] {2}, 3));
        assertThrows(IllegalArgumentException.class, () -> FilterCase.resolve(2, FilterSpec.parse("kind<3"), base, 4, null, 2));
    }

    @Test
    void bruteForceMatchesTheDatasetsFilteredGroundTruth() throws IOException {
        Optional<Path> glove = Datasets.find("glove-100-angular");
        if (glove.isEmpty()) {
            return; // nothing to compare with; the brute force is also checked by the quick run's exact scan
        }
        Path dir = glove.get();
        int queries = 25;
        float[][] base = Vecs.readFvecs(dir.resolve("base.fvecs"));
        float[][] q = Vecs.readFvecs(dir.resolve("query.fvecs"), queries);
        for (int i = 0; i < base.length; i++) {
            base[i] = VectorSimilarity.COSINE.prepare(base[i]);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = VectorSimilarity.COSINE.prepare(q[i]);
        }
        MetaTable meta = MetaTable.read(dir.resolve("base_meta.tsv"), base.length, Set.of("freq_rank"));
        FilterCase c = FilterCase.resolve(0, FilterSpec.parse("freq_rank<500"), meta, base.length, null, queries);
        int[][] mine = FilteredGroundTruth.bruteForce(c, base, q, VectorSimilarity.COSINE, 10);
        int[][] theirs = Vecs.readIvecs(dir.resolve("groundtruth.filter_rank_lt_500.ivecs"));
        for (int i = 0; i < queries; i++) {
            assertArrayEquals(java.util.Arrays.copyOf(theirs[i], 10), mine[i], "query " + i);
        }
        // and the dataset's mask is the payload filter, so the harness uses the file for it
        FilteredGroundTruth.resolve(List.of(c), dir, true, base, q, VectorSimilarity.COSINE, 10, null);
        assertTrue(c.truthSource().startsWith("groundtruth.filter_rank_lt_500.ivecs"), c.truthSource());
    }
}
