package io.bedrockspend.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.demo.BenchDataWriter;
import io.bedrockspend.demo.TrafficGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay} (MiniCluster, parallelism 2) over the whole corpus, one file per record plus a
 * generated 10 MB record, mixed with generated good traffic: the job finishes, every hostile file
 * yields exactly its documented dead letter (or documented non-dead-letter outcome), and every good
 * call is counted.
 */
class BadInputCorpusReplayIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int GOOD_CALLS = 300;

    @TempDir
    Path dir;

    @Test
    void corpusMixedWithGoodTrafficLandsInDeadLettersAndGoodCallsAreAllCounted() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("in/corrupt"));
        List<Corpus.Entry> used = new ArrayList<>();
        for (Corpus.Entry e : Corpus.entries()) {
            if (!e.replayOutcome().equals(Corpus.SKIP)) {
                Files.write(bad.resolve(e.file()), e.bytes());
                used.add(e);
            }
        }
        Files.write(bad.resolve("99-huge-10mb.json"), Corpus.tenMegabyteRecord());
        used.add(new Corpus.Entry("99-huge-10mb.json", "RECORD_TOO_LARGE", "RECORD_TOO_LARGE", "generated"));

        Path good = dir.resolve("good");
        BenchDataWriter.write(GOOD_CALLS, good, 7, BenchDataWriter.DEFAULT_START, BenchDataWriter.DEFAULT_RATE,
                TrafficGenerator.Bodies.NONE);

        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = Corpus.runCli(new String[] {"replay",
                "--invocations", bad.toString(), good.resolve(BenchDataWriter.INVOCATIONS_DIR).toString(),
                "--cloudtrail", good.resolve(BenchDataWriter.CLOUDTRAIL_DIR).toString(),
                "--principal-tags", good.resolve(BenchDataWriter.PRINCIPAL_TAGS_FILE).toString(),
                "--out", out.toString(), "--parallelism", "2"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, () -> "replay failed: " + stderr.toString(StandardCharsets.UTF_8));

        Map<String, List<String>> reasonsByFile = new HashMap<>();
        int deadLetters = 0;
        for (String line : Files.readAllLines(out.resolve("dead-letters.jsonl"))) {
            JsonNode d = JSON.readTree(line);
            String origin = d.path("origin").asText();
            String file = origin.substring(origin.lastIndexOf('/') + 1);
            reasonsByFile.computeIfAbsent(file, k -> new ArrayList<>()).add(d.path("reason").asText());
            deadLetters++;
        }
        List<String> wrong = new ArrayList<>();
        long expectedDead = 0;
        long corpusCalls = 0;
        for (Corpus.Entry e : used) {
            List<String> got = reasonsByFile.getOrDefault(e.file(), List.of());
            List<String> want = Corpus.isDeadLetter(e.replayOutcome()) ? List.of(e.replayOutcome()) : List.of();
            if (!got.equals(want)) {
                wrong.add(e.file() + ": expected " + want + ", got " + got);
            }
            expectedDead += want.size();
            corpusCalls += e.replayOutcome().equals(Corpus.CALL) ? 1 : 0;
        }
        assertEquals(List.of(), wrong);
        assertEquals(expectedDead, deadLetters, "no dead letters from the good files");
        assertTrue(expectedDead >= 50);

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(GOOD_CALLS + corpusCalls, summary.path("calls").asLong(), summary::toString);
        assertEquals(expectedDead, summary.path("dead_letters").asLong());
        assertEquals(GOOD_CALLS + corpusCalls, Files.readAllLines(out.resolve("calls.jsonl")).size());
    }
}
