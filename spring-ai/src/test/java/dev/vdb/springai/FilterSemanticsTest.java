package dev.vdb.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/**
 * Every filter operator, through Spring AI's {@link VectorStore} interface, against Spring AI's
 * reference store {@link SimpleVectorStore} holding the same documents with the same embedding
 * model (the oracle): the same hits in the same order with the same scores, then the same
 * survivors of deletes by filter. Metadata mixes present, missing and null keys, integers,
 * decimals, booleans and strings.
 */
class FilterSemanticsTest {

    private static final String[] FILTERS = {
        "country == 'BG'", "country != 'BG'", "year == 2020", "year != 2020", "year == 2020.0",
        "price == 9.5", "price != 9.5", "active == true", "active != false",
        "year > 2020", "year >= 2020", "year < 2021", "year <= 2020", "price > 9", "price < 9.75",
        "country > 'BG'", "country >= 'DE'", "country < 'NL'", "country <= 'BG'",
        "country in ['BG', 'NL']", "country nin ['BG', 'NL']", "year in [2020, 2023]", "year nin [2020]",
        "price in [9.5, 12.25]", "price nin [9.5]",
        "country == 'BG' && year >= 2021", "country == 'NL' || year < 2021",
        "not(country == 'BG')", "not(year > 2020 && active == true)",
        "(country == 'DE' || country == 'NL') && not(price < 10)",
        "year IS NULL", "year IS NOT NULL", "'country' == 'DE'",
    };

    @TempDir
    Path dir;

    @Test
    void everyOperatorFindsWhatSimpleVectorStoreFinds() {
        try (VdbVectorStore vdb = VdbVectorStore.builder(TestModel.MODEL).path(dir).build()) {
            SimpleVectorStore oracle = SimpleVectorStore.builder(TestModel.MODEL).build();
            List<Document> documents = documents();
            vdb.add(documents);
            oracle.add(documents);
            for (String filter : FILTERS) {
                SearchRequest request = SearchRequest.builder().query("documents about a country").topK(50)
                        .similarityThresholdAll().filterExpression(filter).build();
                List<Document> expected = oracle.similaritySearch(request);
                List<Document> actual = vdb.similaritySearch(request);
                assertThat(ids(actual)).as(filter).isEqualTo(ids(expected));
                for (int i = 0; i < actual.size(); i++) {
                    assertThat(actual.get(i).getScore()).as(filter).isCloseTo(expected.get(i).getScore(),
                            org.assertj.core.data.Offset.offset(1e-5));
                }
            }
            assertThat(ids(vdb.similaritySearch(SearchRequest.builder().query("x").topK(50).similarityThresholdAll()
                    .filterExpression(new FilterExpressionBuilder().eq("country", "BG").build()).build())))
                    .hasSize(3);
        }
    }

    @Test
    void similarityThresholdKeepsWhatSimpleVectorStoreKeeps() {
        try (VdbVectorStore vdb = VdbVectorStore.builder(TestModel.MODEL).path(dir).build()) {
            SimpleVectorStore oracle = SimpleVectorStore.builder(TestModel.MODEL).build();
            List<Document> documents = documents();
            vdb.add(documents);
            oracle.add(documents);
            List<Document> all = oracle.similaritySearch(SearchRequest.builder().query("Bulgaria").topK(50).build());
            double cut = (all.get(2).getScore() + all.get(3).getScore()) / 2;
            SearchRequest request = SearchRequest.builder().query("Bulgaria").topK(50).similarityThreshold(cut).build();
            assertThat(ids(vdb.similaritySearch(request))).isEqualTo(ids(oracle.similaritySearch(request))).hasSize(3);
            Document best = vdb.similaritySearch(request).getFirst();
            assertThat((Double) best.getMetadata().get("distance")).isCloseTo(1 - best.getScore(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void deleteByFilterRemovesWhatSimpleVectorStoreRemoves() {
        for (String filter : new String[] {"year < 2021", "country nin ['BG']", "not(active == true) || price > 10"}) {
            Path sub = dir.resolve(Integer.toString(filter.hashCode() & 0xffff));
            try (VdbVectorStore vdb = VdbVectorStore.builder(TestModel.MODEL).path(sub).build()) {
                SimpleVectorStore oracle = SimpleVectorStore.builder(TestModel.MODEL).build();
                List<Document> documents = documents();
                vdb.add(documents);
                oracle.add(documents);
                vdb.delete(filter);
                oracle.delete(filter);
                SearchRequest all = SearchRequest.builder().query("anything").topK(50).similarityThresholdAll().build();
                assertThat(ids(vdb.similaritySearch(all))).as(filter).isEqualTo(ids(oracle.similaritySearch(all)));
            }
        }
    }

    @Test
    void filtersWithoutMeaningAreRefusedByName() {
        VdbFilterExpressionConverter converter = new VdbFilterExpressionConverter();
        assertThatThrownBy(() -> converter.convertExpression(new FilterExpressionBuilder().gt("active", true).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'active'");
    }

    private static List<String> ids(List<Document> documents) {
        return documents.stream().map(Document::getId).toList();
    }

    /** Ten documents of distinct texts; their metadata has gaps and nulls on purpose. */
    private static List<Document> documents() {
        Object[][] rows = {
            {"BG", 2020, 9.5, true}, {"NL", null, 12.25, false}, {"BG", 2023, 8.0, true},
            {"DE", 2021, 10.0, null}, {"NL", 2020, 9.5, true}, {null, 2019, 15.5, false},
            {"BG", 2022, null, false}, {"FR", 2020, 7.25, true}, {"DE", null, null, null}, {"AT", 2024, 11.0, true},
        };
        String[] texts = {
            "Sofia is the capital of Bulgaria.", "Amsterdam has many canals.", "The Black Sea coast of Bulgaria.",
            "Berlin and its museums.", "Tulips and windmills in the Netherlands.", "A story without a country.",
            "Mountains of Bulgaria in winter.", "Paris and the river Seine.", "The Rhine flows through Germany.",
            "Vienna is known for its coffee houses.",
        };
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            Map<String, Object> metadata = new HashMap<>();
            String[] keys = {"country", "year", "price", "active"};
            for (int k = 0; k < keys.length; k++) {
                if (rows[i][k] != null) {
                    metadata.put(keys[k], rows[i][k]);
                }
            }
            out.add(Document.builder().id("00000000-0000-0000-0000-00000000000" + i).text(texts[i]).metadata(metadata)
                    .build());
        }
        return out;
    }
}
