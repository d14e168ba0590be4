package io.bedrockspend.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.demo.Scenario.Principal;
import io.bedrockspend.demo.TrafficGenerator.Bodies;
import io.bedrockspend.demo.TrafficGenerator.Options;
import io.bedrockspend.demo.TrafficGenerator.Stats;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.identity.Principals;
import io.bedrockspend.ingest.RawRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficGeneratorTest {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final int CALLS = 10_000;
    static final double RATE = 50;

    static List<RawRecord> records;
    static Stats stats;
    static Decoded decoded;

    @BeforeAll
    static void generate() {
        TrafficGenerator gen = new TrafficGenerator(7, START, RATE);
        records = gen.generate(CALLS);
        stats = gen.stats();
        decoded = Decoded.of(records);
    }

    @Test
    void sameSeedSameBytes() {
        List<RawRecord> a = new TrafficGenerator(11, START, RATE).generate(3_000);
        List<RawRecord> b = new TrafficGenerator(11, START, RATE).generate(3_000);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).origin, b.get(i).origin);
            assertEquals(a.get(i).position, b.get(i).position);
            assertArrayEquals(a.get(i).payload, b.get(i).payload, "record " + i);
        }
        List<RawRecord> c = new TrafficGenerator(12, START, RATE).generate(3_000);
        assertFalse(java.util.Arrays.equals(a.get(a.size() / 2).payload, c.get(a.size() / 2).payload));
    }

    @Test
    void serializedGeneratorContinuesIdentically() throws Exception {
        TrafficGenerator gen = new TrafficGenerator(5, START, RATE);
        gen.next(500);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(gen);
        }
        TrafficGenerator copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            copy = (TrafficGenerator) in.readObject();
        }
        List<RawRecord> a = gen.generate(500);
        List<RawRecord> b = copy.generate(500);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).payload, b.get(i).payload);
    }

    @Test
    void jsonLinesAreDeterministic() throws Exception {
        ByteArrayOutputStream i1 = new ByteArrayOutputStream(), t1 = new ByteArrayOutputStream();
        ByteArrayOutputStream i2 = new ByteArrayOutputStream(), t2 = new ByteArrayOutputStream();
        new TrafficGenerator(3, START, RATE).writeJsonLines(2_000, i1, t1);
        new TrafficGenerator(3, START, RATE).writeJsonLines(2_000, i2, t2);
        assertArrayEquals(i1.toByteArray(), i2.toByteArray());
        assertArrayEquals(t1.toByteArray(), t2.toByteArray());
    }

    @Test
    void cloudWatchLogsPayloadShape() {
        assertFalse(decoded.cwlPayloads.isEmpty());
        boolean sawInvocationStream = false;
        for (JsonNode p : decoded.cwlPayloads) {
            assertEquals("DATA_MESSAGE", p.get("messageType").asText());
            assertEquals(Scenario.ACCOUNT, p.get("owner").asText());
            assertTrue(p.get("logGroup").isTextual());
            assertTrue(p.get("subscriptionFilters").isArray() && p.get("subscriptionFilters").size() == 1);
            JsonNode events = p.get("logEvents");
            assertTrue(events.size() >= 1 && events.size() <= 5, "1..5 log events per payload");
            for (JsonNode ev : events) {
                assertTrue(ev.get("id").asText().matches("\\d{56}"), ev.get("id").asText());
                assertTrue(ev.get("timestamp").isIntegralNumber());
                assertTrue(ev.get("message").isTextual());
            }
            if (TrafficGenerator.INVOCATION_LOG_STREAM.equals(p.get("logStream").asText())) {
                sawInvocationStream = true;
            } else {
                assertTrue(p.get("logStream").asText().matches(Scenario.ACCOUNT + "_CloudTrail_[a-z0-9-]+"));
            }
        }
        assertTrue(sawInvocationStream);
        assertTrue(decoded.controlMessages >= 1, "the subscription's first CONTROL_MESSAGE");
    }

    @Test
    void invocationRecordsLookReal() {
        int docOrder = 0;
        Set<String> models = new HashSet<>();
        Set<String> operations = new HashSet<>();
        Set<String> regions = new HashSet<>();
        for (Decoded.Invocation inv : decoded.invocations) {
            JsonNode r = inv.record();
            List<String> keys = new ArrayList<>();
            r.fieldNames().forEachRemaining(keys::add);
            if (keys.get(0).equals("schemaType")) {
                docOrder++;
            } else {
                assertEquals("timestamp", keys.get(0));
                assertEquals(List.of("schemaType", "schemaVersion"), keys.subList(keys.size() - 2, keys.size()));
            }
            assertEquals("ModelInvocationLog", r.get("schemaType").asText());
            assertEquals("1.0", r.get("schemaVersion").asText());
            assertTrue(r.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
            Instant t = Instant.parse(r.get("timestamp").asText());
            assertFalse(t.isBefore(START));
            assertTrue(t.isBefore(START.plusSeconds((long) (CALLS / RATE) + 1)));
            String model = r.get("modelId").asText();
            models.add(model);
            operations.add(r.get("operation").asText());
            regions.add(r.get("region").asText());
            if (r.has("errorCode")) {
                assertEquals(0, r.get("input").size(), "failed calls log empty input");
                assertEquals(0, r.get("output").size(), "failed calls log empty output");
            } else {
                long in = r.get("input").get("inputTokenCount").asLong();
                long out = r.get("output").get("outputTokenCount").asLong();
                assertTrue(in >= 200 && in <= 420_000, "input " + in);
                assertTrue(out >= 50 && out <= 2_000, "output " + out);
            }
            boolean profile = model.startsWith("us.") || model.startsWith("eu.") || model.startsWith("global.");
            assertEquals(profile, r.has("inferenceRegion"), model);
            if (model.startsWith("eu.")) assertEquals("eu-west-1", r.get("region").asText());
        }
        assertTrue(docOrder > 0, "some records use the AWS-doc key order");
        assertTrue(models.contains(Scenario.UNPRICED_MODEL));
        assertTrue(models.containsAll(List.of(Scenario.SONNET_45_GLOBAL, Scenario.HAIKU_45_US, Scenario.SONNET_35_V2,
                Scenario.NOVA_PRO_US, Scenario.NOVA_MICRO, Scenario.LLAMA_33_70B_US, Scenario.OPUS_46_GLOBAL,
                Scenario.NOVA_PRO_EU)), models.toString());
        assertEquals(Set.of("Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"), operations);
        assertEquals(Set.of("us-east-1", "us-west-2", "eu-west-1"), regions);
    }

    @Test
    void oneHourCacheWritesAreVisibleInBodies() {
        int converseSplit = 0, invokeSplit = 0, noBody = 0;
        for (Decoded.Invocation inv : decoded.invocations) {
            JsonNode r = inv.record();
            long write = r.path("input").path("cacheWriteInputTokenCount").asLong(0);
            if (write == 0) continue;
            JsonNode body = r.path("output").path("outputBodyJson");
            if (body.isMissingNode()) {
                noBody++;
                continue;
            }
            JsonNode usage = body.isArray() ? body.get(0).path("message").path("usage") : body.path("usage");
            if (usage.has("cache_creation")) {
                long m5 = usage.get("cache_creation").get("ephemeral_5m_input_tokens").asLong();
                long h1 = usage.get("cache_creation").get("ephemeral_1h_input_tokens").asLong();
                assertEquals(write, m5 + h1);
                if (h1 > 0) invokeSplit++;
            } else {
                long sum = 0;
                boolean oneHour = false;
                for (JsonNode d : usage.get("cacheDetails")) {
                    sum += d.get("inputTokens").asLong();
                    oneHour |= d.get("ttl").asText().equals("1h");
                }
                assertEquals(write, sum);
                if (oneHour) converseSplit++;
            }
            assertTrue(r.path("input").path("inputBodyJson").isObject());
        }
        assertTrue(converseSplit > 0, "Converse usage.cacheDetails with a 1h entry");
        assertTrue(invokeSplit > 0, "InvokeModel usage.cache_creation with 1h tokens");
        assertTrue(noBody > 0, "us-west-2 logs no bodies, so some splits stay unknown");
    }

    @Test
    void eventBridgeEnvelopeShape() {
        assertFalse(decoded.envelopes.isEmpty());
        Set<String> sources = new HashSet<>();
        for (JsonNode e : decoded.envelopes) {
            assertEquals("0", e.get("version").asText());
            assertEquals("AWS API Call via CloudTrail", e.get("detail-type").asText());
            assertEquals(Scenario.ACCOUNT, e.get("account").asText());
            assertTrue(e.get("id").asText().matches("[0-9a-f-]{36}"));
            assertTrue(e.get("resources").isArray());
            JsonNode d = e.get("detail");
            assertTrue(d.isObject());
            assertEquals(d.get("eventTime").asText(), e.get("time").asText());
            assertEquals(d.get("awsRegion").asText(), e.get("region").asText());
            sources.add(e.get("source").asText());
            assertEquals(e.get("source").asText().equals("aws.bedrock") ? "bedrock.amazonaws.com" : "sts.amazonaws.com",
                    d.get("eventSource").asText());
        }
        assertEquals(Set.of("aws.bedrock", "aws.sts"), sources);
    }

    @Test
    void everyInvocationHasItsCloudTrailEvent() {
        Map<String, JsonNode> runtime = new HashMap<>();
        for (Decoded.Trail t : decoded.trail) {
            if ("bedrock.amazonaws.com".equals(t.event().get("eventSource").asText())) {
                runtime.put(t.event().get("requestID").asText(), t.event());
            }
        }
        assertEquals(CALLS, runtime.size(), "one runtime event per call");
        for (Decoded.Invocation inv : decoded.invocations) {
            JsonNode r = inv.record();
            JsonNode e = runtime.get(r.get("requestId").asText());
            assertNotNull(e, "CloudTrail event for " + r.get("requestId"));
            assertEquals(r.get("operation").asText(), e.get("eventName").asText());
            assertEquals(r.get("modelId").asText(), e.get("requestParameters").get("modelId").asText());
            assertEquals(r.get("identity").get("arn").asText(), e.get("userIdentity").get("arn").asText());
            assertEquals(r.has("errorCode"), e.has("errorCode"));
            JsonNode ui = e.get("userIdentity");
            assertTrue(ui.get("accessKeyId").asText().matches("(AKIA|ASIA)[A-Z2-7]{16}"));
            if (ui.get("type").asText().equals("AssumedRole")) {
                String issuer = ui.get("sessionContext").get("sessionIssuer").get("arn").asText();
                assertEquals(Principals.canonical(ui.get("arn").asText()), Principals.canonical(issuer));
            }
        }
        assertEquals(CALLS, decoded.invocationCounts().size(), "every call's invocation record is delivered");
    }

    @Test
    void stsEventsCarrySessionTags() {
        Map<String, JsonNode> sessionsByArn = new HashMap<>();
        int tagged = 0, saml = 0;
        for (Decoded.Trail t : decoded.trail) {
            JsonNode e = t.event();
            if (!"sts.amazonaws.com".equals(e.get("eventSource").asText())) continue;
            JsonNode rp = e.get("requestParameters");
            JsonNode re = e.get("responseElements");
            String arn = re.get("assumedRoleUser").get("arn").asText();
            sessionsByArn.put(arn, e);
            assertTrue(re.get("credentials").get("expiration").asText()
                    .matches("[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2}:\\d{2} (AM|PM)"));
            assertTrue(arn.endsWith("/" + rp.get("roleSessionName").asText()));
            if (e.get("eventName").asText().equals("AssumeRoleWithSAML")) {
                saml++;
                assertTrue(rp.get("principalTags").isObject());
            } else if (rp.has("tags")) {
                tagged++;
                for (JsonNode kv : rp.get("tags")) assertTrue(kv.has("key") && kv.has("value"));
            }
        }
        assertTrue(tagged > 0 && saml > 0);
        // every role session a call used was started by an STS event
        for (Decoded.Invocation inv : decoded.invocations) {
            String arn = inv.record().get("identity").get("arn").asText();
            if (arn.contains(":assumed-role/")) assertTrue(sessionsByArn.containsKey(arn), arn);
        }
        // gateway sessions override team with the end user's
        JsonNode lchen = sessionsByArn.get("arn:aws:sts::" + Scenario.ACCOUNT + ":assumed-role/platform-llm-gateway/lchen");
        assertNotNull(lchen);
        Map<String, String> tags = new HashMap<>();
        for (JsonNode kv : lchen.get("requestParameters").get("tags")) tags.put(kv.get("key").asText(), kv.get("value").asText());
        assertEquals("growth", tags.get("team"));
    }

    @Test
    void faultMixMatchesConfiguredRates() {
        assertEquals(CALLS, stats.calls);
        long errors = decoded.invocations.stream().filter(i -> i.record().has("errorCode"))
                .map(i -> i.record().get("requestId").asText()).distinct().count();
        assertEquals(stats.errorCalls, errors);
        assertTrue(errors > CALLS * 0.005 && errors < CALLS * 0.02, "errors " + errors);

        long duplicated = decoded.invocationCounts().values().stream().filter(n -> n > 1).count();
        assertTrue(duplicated > CALLS * 0.01 && duplicated < CALLS * 0.035, "duplicated calls " + duplicated);

        int malformed = decoded.malformed();
        assertEquals(stats.malformed(), malformed);
        assertTrue(malformed > CALLS * 0.002 && malformed < CALLS * 0.01, "malformed " + malformed);
        assertTrue(decoded.truncatedGzip > 0 && decoded.invalidJson > 0 && decoded.negativeTokens > 0
                && decoded.missingRequestId > 0, "every malformed kind occurs");
        assertEquals(stats.unpricedCalls, decoded.invocations.stream()
                .filter(i -> i.record().get("modelId").asText().equals(Scenario.UNPRICED_MODEL))
                .map(i -> i.record().get("requestId").asText()).distinct().count());
    }

    @Test
    void duplicatesAreByteIdenticalRedeliveries() {
        Map<String, List<Integer>> rawIndexes = new HashMap<>();
        for (Decoded.Invocation inv : decoded.invocations) {
            rawIndexes.computeIfAbsent(inv.record().get("requestId").asText(), k -> new ArrayList<>()).add(inv.rawIndex());
        }
        int checked = 0;
        for (List<Integer> idx : rawIndexes.values()) {
            if (idx.size() < 2) continue;
            RawRecord first = records.get(idx.get(0));
            for (int k = 1; k < idx.size(); k++) {
                RawRecord again = records.get(idx.get(k));
                assertArrayEquals(first.payload, again.payload, "redelivery must be byte-identical");
                assertNotEquals(first.position, again.position);
                assertTrue(Long.parseLong(again.position) > Long.parseLong(first.position), "redelivered later");
            }
            checked++;
        }
        assertTrue(checked > 0);
    }

    @Test
    void positionsAreRunningSequencesPerOrigin() {
        Map<String, Long> next = new HashMap<>();
        for (RawRecord r : records) {
            long expected = next.getOrDefault(r.origin, 0L);
            assertEquals(Long.toString(expected), r.position);
            next.put(r.origin, expected + 1);
            assertTrue(r.origin.equals(TrafficGenerator.ORIGIN_INVOCATIONS) || r.origin.equals(TrafficGenerator.ORIGIN_CLOUDTRAIL));
        }
    }

    @Test
    void principalTagSeedCoversEveryTaggedPrincipal() {
        TrafficGenerator gen = new TrafficGenerator(1, START, RATE);
        PrincipalTagSeed seed = gen.principalTags();
        List<Principal> principals = gen.scenario().principals();
        assertTrue(principals.size() >= 18, "about twenty principals");
        int absent = 0;
        for (Principal p : principals) {
            String canonical = Principals.canonical(p.arn);
            if (p.tags.isEmpty()) {
                absent++;
                assertFalse(seed.contains(canonical));
            } else {
                assertTrue(seed.contains(canonical), canonical);
                Map<String, String> t = seed.tagsOf(canonical);
                for (String k : List.of("team", "costCenter", "env", "application")) assertTrue(t.containsKey(k), k);
            }
        }
        assertEquals(1, absent, "exactly one untagged principal");
        assertEquals(principals.size() - 1, seed.size());
        // every caller in the traffic is a scenario principal
        Set<String> known = new HashSet<>();
        for (Principal p : principals) known.add(Principals.canonical(p.arn));
        for (Decoded.Invocation inv : decoded.invocations) {
            assertTrue(known.contains(Principals.canonical(inv.record().get("identity").get("arn").asText())));
        }
        assertTrue(stats.untaggedCalls > 0);
    }

    @Test
    void benchJsonLinesAreCleanAndJoinable() throws Exception {
        ByteArrayOutputStream inv = new ByteArrayOutputStream(), trail = new ByteArrayOutputStream();
        Stats s = new TrafficGenerator(9, START, 200, Options.bench(Bodies.NONE)).writeJsonLines(5_000, inv, trail);
        assertEquals(5_000, s.calls);
        assertEquals(0, s.malformed() + s.duplicateDeliveries);
        Set<String> ids = new HashSet<>();
        for (String line : inv.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode r = Decoded.parse(line);
            assertNotNull(r, line);
            assertTrue(ids.add(r.get("requestId").asText()), "no duplicates in bench mode");
            assertEquals("timestamp", r.fieldNames().next());
            assertFalse(r.get("input").has("inputBodyJson"));
        }
        assertEquals(5_000, ids.size());
        Set<String> trailIds = new HashSet<>();
        for (String line : trail.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode e = Decoded.parse(line);
            assertNotNull(e, line);
            if (e.get("eventSource").asText().equals("bedrock.amazonaws.com")) trailIds.add(e.get("requestID").asText());
        }
        assertEquals(ids, trailIds);
    }

    @Test
    void benchBodiesHaveRequestedSize() throws Exception {
        ByteArrayOutputStream inv = new ByteArrayOutputStream(), trail = new ByteArrayOutputStream();
        new TrafficGenerator(9, START, 200, Options.bench(Bodies.KB10)).writeJsonLines(200, inv, trail);
        Iterator<String> lines = inv.toString(StandardCharsets.UTF_8).lines().iterator();
        int n = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            JsonNode r = Decoded.parse(line);
            if (r.has("errorCode")) continue;
            int in = r.get("input").get("inputBodyJson").toString().length();
            int out = r.get("output").get("outputBodyJson").toString().length();
            assertTrue(in > 9_000 && in < 11_500, "input body " + in);
            assertTrue(out > 9_000 && out < 11_500, "output body " + out);
            n++;
        }
        assertTrue(n > 150);
    }
}
