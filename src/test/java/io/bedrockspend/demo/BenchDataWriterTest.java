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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchDataWriterTest {

    private static List<String> lines(Path gz) throws Exception {
        return new String(Decoded.gunzip(Files.readAllBytes(gz)), StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void writesTheThreeFiles(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        BenchDataWriter.Result r = BenchDataWriter.run(
                new String[]{"--calls", "3000", "--out", dir.toString(), "--seed", "5"},
                new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("calls: 3000"), printed);
        assertTrue(printed.contains("bytes: "), printed);
        assertEquals(3000, r.calls());

        List<String> inv = lines(dir.resolve(BenchDataWriter.INVOCATIONS_FILE));
        assertEquals(3000, inv.size());
        Set<String> ids = new HashSet<>();
        for (String l : inv) {
            JsonNode n = Decoded.parse(l);
            assertTrue(ids.add(n.get("requestId").asText()));
        }
        Set<String> runtime = new HashSet<>();
        int sts = 0;
        for (String l : lines(dir.resolve(BenchDataWriter.CLOUDTRAIL_FILE))) {
            JsonNode e = Decoded.parse(l);
            if (e.get("eventSource").asText().equals("bedrock.amazonaws.com")) runtime.add(e.get("requestID").asText());
            else sts++;
        }
        assertEquals(ids, runtime);
        assertTrue(sts > 0);
        PrincipalTagSeed seed = PrincipalTagSeed.load(dir.resolve(BenchDataWriter.PRINCIPAL_TAGS_FILE));
        assertEquals(Scenario.standard().principals().size() - 1, seed.size());
    }

    @Test
    void sameSeedSameFiles(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        BenchDataWriter.run(new String[]{"--calls", "500", "--out", dir.resolve("a").toString(), "--bodies", "10k"}, quiet);
        BenchDataWriter.run(new String[]{"--calls", "500", "--out", dir.resolve("b").toString(), "--bodies", "10k"}, quiet);
        for (String f : List.of(BenchDataWriter.INVOCATIONS_FILE, BenchDataWriter.CLOUDTRAIL_FILE)) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertTrue(Files.size(dir.resolve("a").resolve(BenchDataWriter.INVOCATIONS_FILE)) > 0);
        assertTrue(lines(dir.resolve("a").resolve(BenchDataWriter.INVOCATIONS_FILE)).get(0).length() > 15_000);
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
