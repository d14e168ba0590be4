package io.bedrockspend.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.ingest.RawRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Test-side reading of generated records with Jackson's tree model (independent of the real decoder). */
final class Decoded {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One invocation record and the index of the RawRecord that carried it. */
    record Invocation(JsonNode record, String rawMessage, int rawIndex) {}

    record Trail(JsonNode event, int rawIndex, boolean viaEventBridge) {}

    final List<Invocation> invocations = new ArrayList<>();
    final List<Trail> trail = new ArrayList<>();
    final List<JsonNode> cwlPayloads = new ArrayList<>();
    final List<JsonNode> envelopes = new ArrayList<>();
    int controlMessages;
    int truncatedGzip;
    int invalidJson;
    int negativeTokens;
    int missingRequestId;

    static boolean isGzip(byte[] b) {
        return b.length > 1 && b[0] == (byte) 0x1f && b[1] == (byte) 0x8b;
    }

    static byte[] gunzip(byte[] b) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return in.readAllBytes();
        }
    }

    static JsonNode parse(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static JsonNode parse(byte[] b) {
        try {
            return MAPPER.readTree(b);
        } catch (IOException e) {
            return null;
        }
    }

    static Decoded of(List<RawRecord> records) {
        Decoded d = new Decoded();
        for (int i = 0; i < records.size(); i++) d.add(records.get(i), i);
        return d;
    }

    private void add(RawRecord r, int index) {
        byte[] bytes = r.payload;
        if (isGzip(bytes)) {
            try {
                bytes = gunzip(bytes);
            } catch (IOException e) {
                truncatedGzip++;
                return;
            }
            JsonNode payload = parse(bytes);
            if (payload == null) {
                invalidJson++;
                return;
            }
            if ("CONTROL_MESSAGE".equals(payload.path("messageType").asText())) {
                controlMessages++;
                return;
            }
            cwlPayloads.add(payload);
            for (JsonNode ev : payload.get("logEvents")) {
                String message = ev.get("message").asText();
                JsonNode m = parse(message);
                if (m == null) {
                    invalidJson++;
                } else if (TrafficGenerator.ORIGIN_INVOCATIONS.equals(r.origin)) {
                    addInvocation(m, message, index);
                } else {
                    trail.add(new Trail(m, index, false));
                }
            }
        } else {
            JsonNode env = parse(bytes);
            if (env == null) {
                invalidJson++;
                return;
            }
            envelopes.add(env);
            trail.add(new Trail(env.get("detail"), index, true));
        }
    }

    private void addInvocation(JsonNode m, String message, int index) {
        if (!m.has("requestId")) {
            missingRequestId++;
        } else if (m.path("input").path("inputTokenCount").asLong(0) < 0) {
            negativeTokens++;
        } else {
            invocations.add(new Invocation(m, message, index));
        }
    }

    int malformed() {
        return truncatedGzip + invalidJson + negativeTokens + missingRequestId;
    }

    /** requestId → how many times it was delivered. */
    Map<String, Integer> invocationCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Invocation i : invocations) m.merge(i.record().get("requestId").asText(), 1, Integer::sum);
        return m;
    }
}
