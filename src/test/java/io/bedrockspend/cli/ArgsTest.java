package io.bedrockspend.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    @Test
    void multiValuedOptionsAndInlineValues() throws Exception {
        Args a = Args.parse(new String[]{"replay", "--invocations", "a", "b", "--cloudtrail", "c", "--out=o"}, 1,
                Set.of("invocations", "cloudtrail", "out"), Set.of());
        assertEquals(List.of("a", "b"), a.all("invocations"));
        assertEquals(List.of("c"), a.all("cloudtrail"));
        assertEquals("o", a.required("out"));
    }

    @Test
    void unknownOptionAndStrayArgument() {
        assertTrue(assertThrows(Args.UsageException.class, () -> Args.parse(new String[]{"x", "--nope"}, 1, Set.of(), Set.of()))
                .getMessage().contains("--nope"));
        assertThrows(Args.UsageException.class, () -> Args.parse(new String[]{"x", "stray"}, 1, Set.of(), Set.of()));
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofSeconds(30), Args.duration("30s"));
        assertEquals(Duration.ofMinutes(5), Args.duration("5m"));
        assertEquals(Duration.ofHours(2), Args.duration("2h"));
        assertEquals(Duration.ofMillis(1500), Args.duration("1500ms"));
        assertEquals(Duration.ofSeconds(45), Args.duration("PT45S"));
        assertThrows(Args.UsageException.class, () -> Args.duration("soon"));
    }
}
