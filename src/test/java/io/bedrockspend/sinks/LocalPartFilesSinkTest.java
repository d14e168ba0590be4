package io.bedrockspend.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalPartFilesSinkTest {
    @TempDir
    Path dir;

    @Test
    void partsJoinInSubtaskOrderBehindTheHeaderAndAreRemoved() throws IOException {
        Path a = dir.resolve(".a.parts"), b = dir.resolve(".b.parts");
        LocalPartFilesSink.prepare(a);
        LocalPartFilesSink.prepare(b);
        for (int i : new int[]{10, 2, 0, 1, 3, 4, 5, 6, 7, 8, 9}) Files.writeString(a.resolve("part-" + i), "a" + i + "\n");
        Files.writeString(b.resolve("part-0"), ""); // a subtask with no records still has its part
        Path out = dir.resolve("out.csv");
        LocalPartFilesSink.assemble(List.of(a, b, dir.resolve(".never-started")), out, "h\n");
        assertEquals("h\na0\na1\na2\na3\na4\na5\na6\na7\na8\na9\na10\n", Files.readString(out));
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(b));
    }

    @Test
    void aMissingPartFailsInsteadOfLeavingLinesOut() throws IOException {
        Path a = dir.resolve(".a.parts");
        LocalPartFilesSink.prepare(a);
        Files.writeString(a.resolve("part-0"), "x\n");
        Files.writeString(a.resolve("part-2"), "z\n");
        Path out = dir.resolve("out.jsonl");
        IOException e = assertThrows(IOException.class, () -> LocalPartFilesSink.assemble(List.of(a), out, null));
        assertTrue(e.getMessage().contains("part-1"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void withoutHeaderTheFirstPartBecomesTheFileAndAStaleFileIsReplaced() throws IOException {
        Path a = dir.resolve(".a.parts");
        LocalPartFilesSink.prepare(a);
        Files.writeString(a.resolve("part-0"), "x\n");
        Files.writeString(a.resolve("part-1"), "y\n");
        Path out = dir.resolve("out.jsonl");
        Files.writeString(dir.resolve("out.jsonl.inprogress"), "stale\n");
        LocalPartFilesSink.assemble(List.of(a), out, null);
        assertEquals("x\ny\n", Files.readString(out));
        Path empty = dir.resolve(".e.parts");
        LocalPartFilesSink.prepare(empty);
        LocalPartFilesSink.assemble(List.of(empty), dir.resolve("none.jsonl"), null);
        assertEquals("", Files.readString(dir.resolve("none.jsonl")));
    }
}
