package io.bedrockspend.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.identity.PrincipalTagSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchDataWriterTest {

    private static String gunzip(Path gz) throws Exception {
        return new String(Decoded.gunzip(Files.readAllBytes(gz)), StandardCharsets.UTF_8);
    }

    private static final Pattern INVOCATION_OBJECT = Pattern.compile(
            "AWSLogs/111122223333/BedrockModelInvocationLogs/([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/"
                    + "(\\d{8}T\\d{6}Z)_(\\d{4})\\.json\\.gz");
    private static final Pattern TRAIL_OBJECT = Pattern.compile(
            "AWSLogs/111122223333/CloudTrail/([a-z0-9-]+)/(\\d{4})/(\\d{2})/(\\d{2})/"
                    + "111122223333_CloudTrail_([a-z0-9-]+)_(\\d{8}T\\d{4}Z)_(\\d{4})\\.json\\.gz");

    private static String rel(Path dir, Path f) {
        return dir.relativize(f).toString().replace('\\', '/');
    }

    private static Instant window(String stamp) {
        String iso = stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8) + "T"
                + stamp.substring(9, 11) + ":" + stamp.substring(11, 13) + ":" + (stamp.length() > 14 ? stamp.substring(13, 15) : "00") + "Z";
        return Instant.parse(iso);
    }

    @Test
    void writesTheS3Layout(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        // 12,000 calls in one minute: us-east-1 fills more than one object of a window
        BenchDataWriter.Result r = BenchDataWriter.run(
                new String[]{"--calls", "12000", "--out", dir.toString(), "--seed", "5"},
                new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("calls: 12000"), printed);
        assertTrue(printed.contains("files: "), printed);
        assertTrue(printed.contains("bytes: "), printed);
        assertEquals(12000, r.calls());

        List<Path> invFiles = BenchDataWriter.invocationFiles(dir);
        assertEquals(r.invocationFiles(), invFiles.size());
        Set<String> ids = new HashSet<>();
        Set<String> regions = new HashSet<>();
        boolean secondPart = false;
        for (Path f : invFiles) {
            Matcher m = INVOCATION_OBJECT.matcher(rel(dir, f));
            assertTrue(m.matches(), rel(dir, f));
            Instant w = window(m.group(6));
            assertEquals(m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/" + m.group(5),
                    DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC).format(w));
            secondPart |= !m.group(7).equals("0000");
            List<String> lines = gunzip(f).lines().toList();
            assertTrue(lines.size() <= BenchDataWriter.MAX_INVOCATIONS_PER_OBJECT);
            for (String l : lines) {
                JsonNode n = Decoded.parse(l);
                assertTrue(ids.add(n.get("requestId").asText()));
                assertEquals(m.group(1), n.get("region").asText());
                regions.add(m.group(1));
            }
        }
        assertEquals(12000, ids.size());
        assertTrue(secondPart, "a full object continues in part 0001");
        assertTrue(regions.size() > 1, regions.toString());

        Set<String> runtime = new HashSet<>();
        int sts = 0;
        for (Path f : BenchDataWriter.cloudtrailFiles(dir)) {
            Matcher m = TRAIL_OBJECT.matcher(rel(dir, f));
            assertTrue(m.matches(), rel(dir, f));
            assertEquals(m.group(1), m.group(5));
            // CloudTrail's S3 delivery: one {"Records":[...]} document per object
            JsonNode doc = Decoded.parse(gunzip(f));
            assertEquals(1, doc.size());
            JsonNode records = doc.get("Records");
            assertTrue(records.isArray() && records.size() > 0 && records.size() <= BenchDataWriter.MAX_TRAIL_EVENTS_PER_OBJECT);
            for (JsonNode e : records) {
                assertEquals(m.group(1), e.get("awsRegion").asText());
                if (e.get("eventSource").asText().equals("bedrock.amazonaws.com")) assertTrue(runtime.add(e.get("requestID").asText()));
                else sts++;
            }
        }
        assertEquals(ids, runtime);
        assertTrue(sts > 0);
        PrincipalTagSeed seed = PrincipalTagSeed.load(dir.resolve(BenchDataWriter.PRINCIPAL_TAGS_FILE));
        assertEquals(Scenario.standard().principals().size() - 1, seed.size());
    }

    @Test
    void rotatesEveryFiveMinutesOfEventTime(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // 3,000 calls at 2 calls/s: 25 minutes from 09:00, so windows 09:00, 09:05, ... 09:20
        BenchDataWriter.run(new String[]{"--calls", "3000", "--out", dir.toString(), "--rate", "2"}, quiet);
        Set<Instant> windows = new TreeSet<>();
        int records = 0;
        for (Path f : BenchDataWriter.invocationFiles(dir)) {
            Matcher m = INVOCATION_OBJECT.matcher(rel(dir, f));
            assertTrue(m.matches(), rel(dir, f));
            Instant w = window(m.group(6));
            windows.add(w);
            for (String l : gunzip(f).lines().toList()) {
                records++;
                // a record is delivered in the window of its call's event time, or a later one
                Instant t = Instant.parse(Decoded.parse(l).get("timestamp").asText());
                assertFalse(t.isBefore(w), t + " in " + rel(dir, f));
                assertTrue(t.isBefore(w.plusSeconds(BenchDataWriter.ROTATE_MINUTES * 60L + 600)), t + " in " + rel(dir, f));
            }
        }
        assertEquals(3000, records);
        Instant start = BenchDataWriter.DEFAULT_START;
        assertEquals(Set.of(start, start.plusSeconds(300), start.plusSeconds(600), start.plusSeconds(900), start.plusSeconds(1200)),
                windows);
        Set<Instant> trailWindows = new TreeSet<>();
        for (Path f : BenchDataWriter.cloudtrailFiles(dir)) {
            Matcher m = TRAIL_OBJECT.matcher(rel(dir, f));
            assertTrue(m.matches(), rel(dir, f));
            trailWindows.add(window(m.group(6)));
        }
        assertEquals(windows, trailWindows);
    }

    @Test
    void sameSeedSameFiles(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        BenchDataWriter.run(new String[]{"--calls", "500", "--out", a.toString(), "--bodies", "10k"}, quiet);
        BenchDataWriter.run(new String[]{"--calls", "500", "--out", b.toString(), "--bodies", "10k"}, quiet);
        List<Path> filesA = new ArrayList<>(BenchDataWriter.invocationFiles(a));
        filesA.addAll(BenchDataWriter.cloudtrailFiles(a));
        List<Path> filesB = new ArrayList<>(BenchDataWriter.invocationFiles(b));
        filesB.addAll(BenchDataWriter.cloudtrailFiles(b));
        assertEquals(filesA.stream().map(f -> rel(a, f)).toList(), filesB.stream().map(f -> rel(b, f)).toList());
        for (int i = 0; i < filesA.size(); i++) {
            assertArrayEquals(Files.readAllBytes(filesA.get(i)), Files.readAllBytes(filesB.get(i)), filesA.get(i).toString());
        }
        assertTrue(gunzip(BenchDataWriter.invocationFiles(a).get(0)).lines().findFirst().orElseThrow().length() > 15_000);
    }

    @Test
    void rejectsBadArguments(@TempDir Path dir) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> BenchDataWriter.run(new String[]{"--out", dir.toString()}, quiet));
        assertThrows(IllegalArgumentException.class, () -> BenchDataWriter.run(new String[]{"--calls", "5"}, quiet));
        assertThrows(IllegalArgumentException.class,
                () -> BenchDataWriter.run(new String[]{"--calls", "5", "--out", dir.toString(), "--bodies", "1m"}, quiet));
        assertThrows(IllegalArgumentException.class,
                () -> BenchDataWriter.run(new String[]{"--calls", "5", "--out", dir.toString(), "--frobnicate", "x"}, quiet));
    }
}
