package io.bedrockspend.identity.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.pricing.ModelIdNormalizer;
import io.bedrockspend.pricing.ModelRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.BedrockClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.bedrockspend.identity.export.BedrockFixtures.EU;
import static io.bedrockspend.identity.export.BedrockFixtures.GLOBAL;
import static io.bedrockspend.identity.export.BedrockFixtures.MIXED;
import static io.bedrockspend.identity.export.BedrockFixtures.NEXT_TOKEN;
import static io.bedrockspend.identity.export.BedrockFixtures.NOVA;
import static io.bedrockspend.identity.export.BedrockFixtures.SEARCH;
import static io.bedrockspend.identity.export.BedrockFixtures.tagsKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real BedrockClient against recorded REST-JSON responses. */
class ProfileExporterTest {
    static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    @TempDir
    Path dir;

    final List<Duration> sleeps = new ArrayList<>();

    ProfileExporter.Result export(FakeAws aws, int sdkAttempts, Backoff backoff, String... regions) throws Exception {
        ProfileExporter exporter = new ProfileExporter(backoff);
        List<ProfileExporter.ExportedProfile> profiles = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String region : regions) {
            try (BedrockClient bedrock = aws.clients(sdkAttempts).bedrock(region)) {
                exporter.exportRegion(bedrock, region, profiles, warnings);
            }
        }
        return ProfileExporter.result(profiles, warnings);
    }

    Backoff recordingBackoff(int attempts) {
        return new Backoff(attempts, Duration.ofMillis(100), Duration.ofMillis(300), sleeps::add, d -> d, null);
    }

    @Test
    void exportsTheApplicationProfileMapAcrossPagesAndRegions() throws Exception {
        try (FakeAws aws = BedrockFixtures.account()) {
            ProfileExporter.Result r = export(aws, 1, recordingBackoff(3), "us-east-1", "eu-west-1");
            assertEquals(List.of(), aws.misses());

            Map<String, String> map = new ObjectMapper().readValue(r.mapJson(), new TypeReference<Map<String, String>>() {});
            assertEquals(Map.of(
                    SEARCH, SONNET,                                   // three regional ARNs of one model
                    NOVA, "amazon.nova-lite-v1:0",                    // a single in-region model
                    GLOBAL, "global." + SONNET,                       // a region-less ARN: global routing
                    MIXED, "anthropic.claude-3-5-haiku-20241022-v1:0", // differing models: the first
                    EU, "anthropic.claude-haiku-4-5-20251001-v1:0"), map);
            assertEquals(List.of(MIXED + ": lists different models [anthropic.claude-3-5-haiku-20241022-v1:0, "
                    + "anthropic.claude-3-haiku-20240307-v1:0]; mapped to the first, anthropic.claude-3-5-haiku-20241022-v1:0"),
                    r.warnings());
            assertEquals(5, r.mapped());
            assertEquals(4, r.tagged());

            // the wire: REST-JSON, the type filter and page size as query parameters, the token sent back verbatim
            List<FakeAws.Request> lists = aws.requests().stream().filter(q -> q.path().equals("/inference-profiles")).toList();
            assertEquals(3, lists.size());
            for (FakeAws.Request q : lists) {
                assertEquals("GET", q.method());
                assertEquals("APPLICATION", q.param("type"), "query " + q.params());
                assertEquals("1000", q.param("maxResults"));
            }
            assertEquals(NEXT_TOKEN, lists.get(1).param("nextToken"));
            assertEquals("eu-west-1", lists.get(2).signingRegion());
            FakeAws.Request tags = aws.requests(tagsKey("us-east-1", SEARCH)).get(0);
            assertEquals("{\"resourceARN\":\"" + SEARCH + "\"}", tags.body());
        }
    }

    @Test
    void tagsFileListsEveryProfileWithItsModelsAndTags() throws Exception {
        Path map = dir.resolve("profiles.json");
        Path tagsFile = dir.resolve("profiles.tags.json");
        try (FakeAws aws = BedrockFixtures.account()) {
            export(aws, 1, recordingBackoff(3), "us-east-1").write(map, tagsFile);
        }
        JsonNode profiles = new ObjectMapper().readTree(tagsFile.toFile()).get("profiles");
        assertEquals(4, profiles.size());
        JsonNode search = profiles.get(2); // sorted by ARN: 0f9e…, 9a8b…, a1b2…, mixed…
        assertEquals(SEARCH, search.get("arn").asText());
        assertEquals("a1b2c3d4e5f6", search.get("id").asText());
        assertEquals("search-prod-sonnet", search.get("name").asText());
        assertEquals("us-east-1", search.get("region").asText());
        assertEquals("ACTIVE", search.get("status").asText());
        assertEquals(SONNET, search.get("modelId").asText());
        assertEquals(3, search.get("models").size());
        assertEquals(Map.of("team", "search", "costCenter", "cc-100"),
                new ObjectMapper().convertValue(search.get("tags"), new TypeReference<Map<String, String>>() {}));
        JsonNode mixed = profiles.get(3);
        assertEquals(MIXED, mixed.get("arn").asText());
        assertEquals(0, mixed.get("tags").size());
    }

    @Test
    void theWrittenMapPricesCallsLoggedWithAProfileArn() throws Exception {
        Path map = dir.resolve("profiles.json");
        try (FakeAws aws = BedrockFixtures.account()) {
            export(aws, 1, recordingBackoff(3), "us-east-1").write(map, dir.resolve("profiles.tags.json"));
        }
        // read as replay --inference-profiles does: a flat JSON object of strings
        Map<String, String> profiles = new ObjectMapper().readValue(map.toFile(), new TypeReference<Map<String, String>>() {});
        ModelIdNormalizer n = ModelIdNormalizer.plain().withApplicationProfiles(profiles);
        ModelRef search = n.normalize(SEARCH);
        assertTrue(search.isResolved(), String.valueOf(search));
        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1", search.baseModelId().replace(":0", ""));
        ModelRef global = n.normalize(GLOBAL);
        assertTrue(global.isResolved());
        assertEquals("GLOBAL", global.routingClass().name());
        assertEquals("REGIONAL", search.routingClass().name());
    }

    @Test
    void throttledTagLookupsBackOffAndRetry() throws Exception {
        try (FakeAws aws = BedrockFixtures.account()) {
            aws.on(tagsKey("us-east-1", NOVA), FakeAws.bedrockThrottling(), FakeAws.bedrockThrottling(),
                    FakeAws.json("export/bedrock/ListTagsForResource-0f9e8d7c6b5a.json"));
            aws.on("us-east-1 GET /inference-profiles nextToken=" + NEXT_TOKEN, FakeAws.bedrockThrottling(),
                    FakeAws.json("export/bedrock/ListInferenceProfiles-us-east-1-2.json"));
            Backoff backoff = recordingBackoff(4);
            ProfileExporter.Result r = export(aws, 1, backoff, "us-east-1");

            assertEquals(4, r.profiles().size());
            assertEquals(Map.of("team", "data-science"), r.profiles().stream()
                    .filter(p -> p.arn().equals(NOVA)).findFirst().orElseThrow().tags());
            assertEquals(3, aws.requests(tagsKey("us-east-1", NOVA)).size());
            assertEquals(2, aws.requests("us-east-1 GET /inference-profiles nextToken=" + NEXT_TOKEN).size());
            assertEquals(1, aws.requests("us-east-1 GET /inference-profiles").size(), "first page fetched once");
            assertEquals(3, backoff.throttledCount());
            assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(100)), sleeps);
        }
    }

    @Test
    void modelTargets() {
        String fm = "arn:aws:bedrock:%s::foundation-model/%s";
        assertEquals(new ProfileExporter.Target("amazon.nova-pro-v1:0", null),
                ProfileExporter.target(List.of(fm.formatted("us-east-1", "amazon.nova-pro-v1:0"))));
        assertEquals(new ProfileExporter.Target(SONNET, null), ProfileExporter.target(List.of(
                fm.formatted("eu-west-1", SONNET), fm.formatted("eu-central-1", SONNET))));
        assertEquals(new ProfileExporter.Target("global." + SONNET, null), ProfileExporter.target(List.of(
                fm.formatted("", SONNET), fm.formatted("us-east-1", SONNET))));
        assertEquals(new ProfileExporter.Target("us." + SONNET, null), ProfileExporter.target(List.of(
                "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us." + SONNET)));
        assertNull(ProfileExporter.target(List.of()).target());
        ProfileExporter.Target bad = ProfileExporter.target(List.of("not-an-arn"));
        assertNull(bad.target());
        assertTrue(bad.warning().contains("no foundation-model ARN"), bad.warning());
        ProfileExporter.Target partly = ProfileExporter.target(List.of(fm.formatted("us-east-1", SONNET), "junk"));
        assertEquals(SONNET, partly.target());
        assertTrue(partly.warning().contains("junk"));
    }
}
