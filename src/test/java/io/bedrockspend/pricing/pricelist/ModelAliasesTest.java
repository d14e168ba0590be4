package io.bedrockspend.pricing.pricelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bedrockspend.pricing.ModelIdNormalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAliasesTest {
    @Test
    void coversEveryModelOfTheResearchTable() throws Exception {
        ModelAliases aliases = ModelAliases.bundled();
        List<String> rows = Files.readAllLines(Path.of("pricing-snapshots/seed/bedrock-prices.csv"));
        ModelIdNormalizer n = ModelIdNormalizer.plain();
        for (String row : rows.subList(1, rows.size())) {
            String base = n.normalize(row.substring(0, row.indexOf(','))).baseModelId();
            assertNotNull(aliases.byId(base), "alias table lacks " + base);
            assertTrue(!aliases.byId(base).names().isEmpty(), base + " has no Price List name");
        }
    }

    @Test
    void namesMatchExactlyNeverByPrefix() throws Exception {
        ModelAliases a = ModelAliases.bundled();
        assertEquals("anthropic.claude-sonnet-4-20250514-v1:0", a.byName("Claude Sonnet 4").modelId());
        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0", a.byName("claude  sonnet 4.5 ").modelId());
        assertNull(a.byName("Claude Sonnet 4.55"));
        assertNull(a.byName("Claude Sonnet"));
        assertEquals("openai.gpt-oss-120b-1:0", a.byUsageTypeModel("openai.gpt-oss-120b").modelId());
    }

    @Test
    void rejectsANameClaimedByTwoModels() {
        String json = """
                {"models": [{"modelId": "a.one", "names": ["Same"]}, {"modelId": "a.two", "names": ["same"]}]}""";
        IOException e = assertThrows(IOException.class, () -> ModelAliases.parse(json.getBytes(StandardCharsets.UTF_8), "t"));
        assertTrue(e.getMessage().contains("name 'same' maps to both a.one and a.two"), e.getMessage());
    }
}
