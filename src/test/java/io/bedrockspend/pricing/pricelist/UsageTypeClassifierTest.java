package io.bedrockspend.pricing.pricelist;

import io.bedrockspend.pricing.BillingRegions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests: usage type (+ feature) -> token kind, routing, tier, band; or excluded / unclassified. */
class UsageTypeClassifierTest {

    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # legacy dash (AmazonBedrock / AmazonBedrockService)
            USE1-NovaPro-input-tokens                                        | On-demand Inference | input regional standard
            USE1-NovaPro-output-tokens                                       | -                   | output regional standard
            APN1-NovaPro-cache-read-input-token-count                        | On-demand Inference | cacheRead regional standard
            USE1-NovaPro-cache-write-input-token-count                       | -                   | cacheWrite5m regional standard
            APN1-NovaPro-input-tokens-batch                                  | Batch Inference     | input regional batch
            USE1-Llama3-1-405B-output-tokens-batch                           | -                   | output regional batch
            USE1-NovaPro-input-tokens-latency-optimized                      | -                   | input regional latency-optimized
            USE1-NovaPro-input-tokens-priority                               | -                   | input regional priority
            USE1-NovaPro-output-tokens-flex                                  | -                   | output regional flex
            USE1-Claude4Sonnet-input-tokens-cross-region-global              | -                   | input global standard
            USE1-Claude4Sonnet-output-tokens-long-context-cross-region-global| -                   | output global standard long
            USE1-Claude4Sonnet-input-tokens-cross-region-global-batch        | -                   | input global batch
            USE1-Llama3-3-70B-input-tokens-cross-region-geo                  | -                   | input regional standard
            APN1-zai.glm5-input-tokens                                       | -                   | input regional standard
            # mantle
            USE1-openai.gpt-oss-120b-mantle-input-tokens-standard            | -                   | input regional standard
            USE1-deepseek.v3.2-mantle-output-tokens-standard                 | -                   | output regional standard
            APN1-zai.glm5-mantle-input-tokens-flex                           | -                   | input regional flex
            USW2-qwen.qwen3-32b-mantle-input-tokens-batch                    | -                   | input regional batch
            USE1-openai.gpt-5.6-luna-mantle-cache-read-tokens-long-ctx-priority | -                | cacheRead regional priority long
            USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-1h-flex       | -                   | cacheWrite1h regional flex
            # Marketplace CamelCase: components matched exactly, never by suffix
            USE1-MP:USE1_InputTokenCount-Units                               | -                   | input regional standard
            USE1-MP:USE1_InputTokenCount_Global-Units                        | -                   | input global standard
            USE2-MP:USE2_OutputTokenCount_Global_Batch-Units                 | -                   | output global batch
            USE1-MP:USE1_CacheReadInputTokenCount-Units                      | -                   | cacheRead regional standard
            USE1-MP:USE1_CacheWriteInputTokenCount_Global-Units              | -                   | cacheWrite5m global standard
            USW2-MP:USW2_CacheWrite1hInputTokenCount-Units                   | -                   | cacheWrite1h regional standard
            USE1-MP:USE1_InputTokenCount_LatencyOptimized-Units              | -                   | input regional latency-optimized
            USE1-MP:USE1_InputTokenCount_LongContext-Units                   | -                   | input regional standard long
            USE1-MP:USE1_InputTokenCount_Global_Batch_LongContext-Units      | -                   | input global batch long
            USE1-MP:USE1_MillionBatchInputTokens-Units                       | -                   | input regional batch
            APS3-MP:APS3_InputTokenCount-Units                               | -                   | input regional standard
            # Marketplace snake_case
            USE1-MP:USE1_input_tokens_standard-Units                         | -                   | input regional standard
            USE1-MP:USE1_input_tokens_global_standard-Units                  | -                   | input global standard
            USE1-MP:USE1_output_tokens_global_batch-Units                    | -                   | output global batch
            USE1-MP:USE1_cache_read_tokens_long_ctx_standard-Units           | -                   | cacheRead regional standard long
            USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units         | -                   | cacheWrite1h global standard
            USE1-MP:USE1_cache_write_tokens_global_standard-Units            | -                   | cacheWrite5m global standard
            # excluded: understood, not priced per token
            USE1-MP:USE1_Reserved_1Month_InputTPM_Geo-Units                  | -                   | excluded
            USW2-MP:USW2_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units | -             | excluded
            USE1-NovaMicro-Model-Customization-input-tokens                  | Model Customization | excluded
            USE1-NovaPro-input-tokens                                        | Model Customization | excluded
            USE1-Llama3-input-tokens-custom-model                            | -                   | excluded
            USE1-NovaPro-input-image-tokens                                  | -                   | excluded
            USE1-MP:USE1_Created_image-Units                                 | -                   | excluded
            USE1-NovaPro-input-tokens-reserved                               | -                   | excluded
            # unclassified: reported, never guessed
            USE1-Nova2.0Lite-web-grounding-requests                          | -                   | unclassified
            USE1-MP:USE1_InputTokenCountExtra-Units                          | -                   | unclassified
            USE1-MP:USE1_InputTokenCount_Turbo-Units                         | -                   | unclassified
            USE1-MP:USE1_InputTokenCount_Global_Global-Units                 | -                   | unclassified
            USE1-MP:USE2_InputTokenCount-Units                               | -                   | unclassified
            USE1-MP:USE1_InputTokenCount                                     | -                   | unclassified
            USE1-NovaPro-input-tokens-batch-flex                             | -                   | unclassified
            USE1-NovaPro-input-tokens-1h                                     | -                   | unclassified
            USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-30m-flex      | -                   | unclassified
            USE1-NovaPro-input-tokens                                        | Batch Inference     | unclassified
            USE1-NovaPro-input-tokens-batch                                  | On-demand Inference | unclassified
            NovaPro-input-tokens                                             | -                   | unclassified
            """)
    void classifies(String usageType, String feature, String expected) {
        UsageClass c = UsageTypeClassifier.classify(usageType, feature);
        if (expected.equals("excluded") || expected.equals("unclassified")) {
            assertEquals(expected.toUpperCase(), c.status().name(), usageType + " -> " + c.summary());
            assertTrue(c.reason() != null && !c.reason().isBlank());
        } else {
            assertEquals(expected, c.summary(), usageType);
        }
    }

    @ParameterizedTest
    @CsvSource({"USE1-MP:USE1_InputTokenCount-Units, USE1", "APS3-openai.gpt-oss-20b-mantle-input-tokens-standard, APS3",
        "UGW1-NovaPro-input-tokens, UGW1"})
    void keepsTheBillingCode(String usageType, String code) {
        assertEquals(code, UsageTypeClassifier.classify(usageType, null).billingCode());
    }

    @ParameterizedTest
    @CsvSource({"USE1, us-east-1", "USE2, us-east-2", "USW2, us-west-2", "EUC1, eu-central-1", "EUW1, eu-west-1",
        "EUW2, eu-west-2", "EUW3, eu-west-3", "EUN1, eu-north-1", "APN1, ap-northeast-1", "APN2, ap-northeast-2",
        "APN3, ap-northeast-3", "APS1, ap-southeast-1", "APS2, ap-southeast-2", "APS3, ap-south-1",
        "APS4, ap-southeast-3", "CAN1, ca-central-1", "SAE1, sa-east-1", "UGW1, us-gov-west-1"})
    void billingRegionTable(String code, String region) {
        assertEquals(region, BillingRegions.region(code));
        assertEquals(code, BillingRegions.code(region));
    }

    @org.junit.jupiter.api.Test
    void mantleRowsCarryTheirModelId() {
        assertEquals("openai.gpt-oss-120b",
                UsageTypeClassifier.classify("USE1-openai.gpt-oss-120b-mantle-input-tokens-standard", null).embeddedModelId());
    }
}
