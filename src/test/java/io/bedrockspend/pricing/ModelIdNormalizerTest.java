package io.bedrockspend.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelIdNormalizerTest {
    static final String SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String APP = "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/a1b2c3";

    static final ModelIdNormalizer NORMALIZER = new ModelIdNormalizer(
            Map.of(APP, "eu.amazon.nova-pro-v1:0",
                    "p-by-id", "arn:aws:bedrock:us-east-1::foundation-model/" + SONNET_45),
            Map.of("anthropic.claude-opus-4-6-v1:0", "anthropic.claude-opus-4-6-v1"));

    static Stream<Arguments> ids() {
        return Stream.of(
                // logged id, base id, routing, profile geo, ARN region
                Arguments.of(SONNET_45, SONNET_45, RoutingClass.REGIONAL, null, null),
                Arguments.of("global." + SONNET_45, SONNET_45, RoutingClass.GLOBAL, null, null),
                Arguments.of("us." + SONNET_45, SONNET_45, RoutingClass.REGIONAL, "us", null),
                Arguments.of("eu.amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0", RoutingClass.REGIONAL, "eu", null),
                Arguments.of("apac.amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", RoutingClass.REGIONAL, "apac", null),
                Arguments.of("jp.amazon.nova-2-lite-v1:0", "amazon.nova-2-lite-v1:0", RoutingClass.REGIONAL, "jp", null),
                Arguments.of("au.anthropic.claude-sonnet-4-6", "anthropic.claude-sonnet-4-6", RoutingClass.REGIONAL, "au", null),
                Arguments.of("us-gov.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0",
                        RoutingClass.REGIONAL, "us-gov", null),
                Arguments.of("ca.anthropic.claude-sonnet-4-6", "anthropic.claude-sonnet-4-6", RoutingClass.REGIONAL, "ca", null),
                Arguments.of("deepseek.v3.2", "deepseek.v3.2", RoutingClass.REGIONAL, null, null),
                // alias: -v1:0 spelling of a new Claude id
                Arguments.of("global.anthropic.claude-opus-4-6-v1:0", "anthropic.claude-opus-4-6-v1", RoutingClass.GLOBAL, null, null),
                Arguments.of("arn:aws:bedrock:us-east-1::foundation-model/" + SONNET_45, SONNET_45, RoutingClass.REGIONAL, null,
                        "us-east-1"),
                Arguments.of("arn:aws:bedrock:us-west-2:111122223333:inference-profile/global." + SONNET_45, SONNET_45,
                        RoutingClass.GLOBAL, null, "us-west-2"),
                Arguments.of("arn:aws:bedrock:us-east-2:111122223333:inference-profile/us.anthropic.claude-opus-4-6-v1:0",
                        "anthropic.claude-opus-4-6-v1", RoutingClass.REGIONAL, "us", "us-east-2"),
                Arguments.of("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                        "anthropic.claude-3-haiku-20240307-v1:0", RoutingClass.REGIONAL, null, "us-gov-west-1"),
                Arguments.of(APP, "amazon.nova-pro-v1:0", RoutingClass.REGIONAL, "eu", "eu-west-1"),
                // mapped by the profile's trailing id to a foundation-model ARN
                Arguments.of("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/p-by-id", SONNET_45,
                        RoutingClass.REGIONAL, null, "us-east-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void normalizes(String logged, String base, RoutingClass routing, String geo, String arnRegion) {
        ModelRef ref = NORMALIZER.normalize(logged);
        assertEquals(base, ref.baseModelId());
        assertEquals(routing, ref.routingClass());
        assertEquals(geo, ref.profileGeo());
        assertEquals(arnRegion, ref.arnRegion());
        assertEquals(logged, ref.loggedId());
    }

    static Stream<Arguments> unresolved() {
        return Stream.of(
                Arguments.of("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/unknown",
                        "unresolved application inference profile"),
                Arguments.of("arn:aws:bedrock:us-east-1:111122223333:provisioned-model/xyz",
                        "unsupported model ARN type provisioned-model"),
                Arguments.of("arn:aws:bedrock:us-east-1", "malformed model ARN"),
                Arguments.of("", "no model id"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unresolved")
    void reportsUnresolved(String logged, String reason) {
        ModelRef ref = NORMALIZER.normalize(logged);
        assertFalse(ref.isResolved());
        assertEquals(reason, ref.unresolvedReason());
    }

    @Test
    void cachesResults() {
        assertSame(NORMALIZER.normalize("us." + SONNET_45), NORMALIZER.normalize("us." + SONNET_45));
    }

    @Test
    void regionGeoTable() {
        assertEquals(java.util.List.of("us"), RegionGeo.geosOf("us-west-1"));
        assertEquals(java.util.List.of("jp", "apac"), RegionGeo.geosOf("ap-northeast-1"));
        assertEquals(java.util.List.of("au", "apac"), RegionGeo.geosOf("ap-southeast-2"));
        assertEquals(java.util.List.of("apac"), RegionGeo.geosOf("ap-south-1"));
        assertEquals(java.util.List.of("eu"), RegionGeo.geosOf("eu-north-1"));
        assertEquals(java.util.List.of("ca"), RegionGeo.geosOf("ca-central-1"));
        assertEquals(java.util.List.of("us-gov"), RegionGeo.geosOf("us-gov-east-1"));
        assertEquals(java.util.List.of(), RegionGeo.geosOf("sa-east-1"));
        assertEquals(java.util.List.of("eu", "eu-west-1", "*"), PriceBook.scopeChain("eu", "eu-west-1"));
        assertEquals(java.util.List.of("ap-northeast-1", "jp", "apac", "*"), PriceBook.scopeChain(null, "ap-northeast-1"));
    }
}
