package io.bedrockspend.reconcile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class UsageTypeParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # usage type                                                       | region         | shape       | model                     | kind         | routing  | tier              | long
            USE1-Claude4.6Sonnet-input-tokens                                  | us-east-1      | legacy      | Claude4.6Sonnet           | input        | regional | standard          | false
            USE1-Claude4.6Sonnet-output-tokens                                 | us-east-1      | legacy      | Claude4.6Sonnet           | output       | regional | standard          | false
            USW2-Claude4.5Sonnet-cache-write-input-token-count                 | us-west-2      | legacy      | Claude4.5Sonnet           | cacheWrite5m | regional | standard          | false
            USW2-Claude4.6Sonnet-cache-read-input-token-count                  | us-west-2      | legacy      | Claude4.6Sonnet           | cacheRead    | regional | standard          | false
            USE1-NovaPro-cache-read-input-token-count                          | us-east-1      | legacy      | NovaPro                   | cacheRead    | regional | standard          | false
            USE1-Llama3-1-405B-output-tokens-batch                             | us-east-1      | legacy      | Llama3-1-405B             | output       | regional | batch             | false
            USE1-NovaPro-input-tokens-latency-optimized                        | us-east-1      | legacy      | NovaPro                   | input        | regional | latency-optimized | false
            USE1-NovaPro-output-tokens-flex                                    | us-east-1      | legacy      | NovaPro                   | output       | regional | flex              | false
            USE1-NovaPro-input-tokens-priority                                 | us-east-1      | legacy      | NovaPro                   | input        | regional | priority          | false
            USE1-Claude4Sonnet-output-tokens-long-context-cross-region-global  | us-east-1      | legacy      | Claude4Sonnet             | output       | global   | standard          | true
            APS3-Nova2.0Lite-input-tokens                                      | ap-south-1     | legacy      | Nova2.0Lite               | input        | regional | standard          | false
            USE1-MP:USE1_InputTokenCount-Units                                 | us-east-1      | marketplace | -                         | input        | regional | standard          | false
            USE1-MP:USE1_OutputTokenCount_Global-Units                         | us-east-1      | marketplace | -                         | output       | global   | standard          | false
            USE1-MP:USE1_InputTokenCount_Batch-Units                           | us-east-1      | marketplace | -                         | input        | regional | batch             | false
            USE1-MP:USE1_OutputTokenCount_Global_Batch-Units                   | us-east-1      | marketplace | -                         | output       | global   | batch             | false
            USE1-MP:USE1_CacheReadInputTokenCount-Units                        | us-east-1      | marketplace | -                         | cacheRead    | regional | standard          | false
            USE1-MP:USE1_CacheWriteInputTokenCount_Global-Units                | us-east-1      | marketplace | -                         | cacheWrite5m | global   | standard          | false
            USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units              | us-east-1      | marketplace | -                         | cacheWrite1h | global   | standard          | false
            EUC1-MP:EUC1_InputTokenCount_LongContext-Units                     | eu-central-1   | marketplace | -                         | input        | regional | standard          | true
            USE1-MP:USE1_InputTokenCount_LatencyOptimized-Units                | us-east-1      | marketplace | -                         | input        | regional | latency-optimized | false
            APN1-MP:APN1_MillionBatchInputTokens-Units                         | ap-northeast-1 | marketplace | -                         | input        | regional | batch             | false
            USE1-MP:USE1_input_tokens_standard-Units                           | us-east-1      | marketplace | -                         | input        | regional | standard          | false
            USE1-MP:USE1_input_tokens_global_standard-Units                    | us-east-1      | marketplace | -                         | input        | global   | standard          | false
            USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units           | us-east-1      | marketplace | -                         | cacheWrite1h | global   | standard          | false
            USE1-MP:USE1_output_tokens_long_ctx_global_priority-Units          | us-east-1      | marketplace | -                         | output       | global   | priority          | true
            USE1-MP:USE1_cache_read_tokens_flex-Units                          | us-east-1      | marketplace | -                         | cacheRead    | regional | flex              | false
            USE1-openai.gpt-oss-120b-mantle-input-tokens-standard              | us-east-1      | mantle      | openai.gpt-oss-120b       | input        | regional | standard          | false
            USE1-deepseek.v3.2-mantle-output-tokens-standard                   | us-east-1      | mantle      | deepseek.v3.2             | output       | regional | standard          | false
            USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-5m-long-ctx-flex | us-east-1     | mantle      | openai.gpt-5.6-luna       | cacheWrite5m | regional | flex              | true
            USW2-anthropic.claude-opus-4-8-mantle-cache-write-tokens-standard  | us-west-2      | mantle      | anthropic.claude-opus-4-8 | cacheWrite5m | regional | standard          | false
            APN1-zai.glm5-mantle-input-tokens-flex                             | ap-northeast-1 | mantle      | zai.glm5                  | input        | regional | flex              | false
            """)
    void parsesEveryShape(String raw, String region, String shape, String model, String kind, String routing, String tier,
                          boolean longContext) {
        UsageType u = UsageTypeParser.parse(raw);
        assertNotNull(u, raw);
        assertEquals(region, u.region(), "region");
        assertEquals(shape, u.shape(), "shape");
        assertEquals(model, u.model(), "model");
        assertEquals(kind, u.kind(), "kind");
        assertEquals(routing, u.routing(), "routing");
        assertEquals(tier, u.tier(), "tier");
        assertEquals(longContext, u.longContext(), "long context");
    }

    @ParameterizedTest
    @CsvSource({
            "USE1-MP:USE1_Reserved_1Month_InputTPM_Geo-Units",
            "USE1-MP:USE1_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units",
            "USE1-MP:USE1_Created_image-Units",
            "USE1-NovaMicro-Model-Customization-input-tokens",
            "USE1-NovaPro-input-tokens-custom-model",
            "USE1-NovaPro-input-image-tokens",
            "USE1-MP:USE1_InputTokenCountX-Units",
            "Tax",
            "''",
    })
    void skipsWhatIsNotPerTokenUsage(String raw) {
        assertNull(UsageTypeParser.parse(raw), raw);
    }

    @ParameterizedTest
    @CsvSource({"1K tokens,1000", "1M tokens,1000000", "Million Tokens,1000000", "Tokens,1"})
    void pricingUnits(String unit, long tokens) {
        assertEquals(0, PricingUnits.tokensPerUnit(unit).compareTo(java.math.BigDecimal.valueOf(tokens)));
    }

    @org.junit.jupiter.api.Test
    void unitsAndMissingUnitFallBackByShape() {
        assertNull(PricingUnits.tokensPerUnit("Units"));
        assertNull(PricingUnits.tokensPerUnit(null));
        assertEquals(PricingUnits.MILLION, PricingUnits.assumed(UsageTypeParser.parse("USE1-MP:USE1_InputTokenCount-Units")));
        assertEquals(PricingUnits.THOUSAND, PricingUnits.assumed(UsageTypeParser.parse("USE1-NovaPro-input-tokens")));
    }
}
