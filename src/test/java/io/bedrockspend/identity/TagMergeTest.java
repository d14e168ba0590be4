package io.bedrockspend.identity;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TagMergeTest {
    @Test
    void sessionTagsWinOnTheSameKey() {
        Map<String, String> eff = TagMerge.effective(Map.of("team", "platform", "env", "prod"), Map.of("team", "search", "user", "alice"));
        assertEquals(Map.of("team", "search", "env", "prod", "user", "alice"), eff);
    }

    @Test
    void nullSidesAreEmpty() {
        assertEquals(Map.of(), TagMerge.effective(null, null));
        assertEquals(Map.of("a", "1"), TagMerge.effective(null, Map.of("a", "1")));
    }

    @Test
    void attributionLevels() {
        assertEquals(Attribution.NONE, TagMerge.level(Map.of(), "team"));
        assertEquals(Attribution.PARTIAL, TagMerge.level(Map.of("env", "dev"), "team"));
        assertEquals(Attribution.PARTIAL, TagMerge.level(Map.of("team", " "), "team"));
        assertEquals(Attribution.COMPLETE, TagMerge.level(Map.of("team", "search"), "team"));
    }

    @Test
    void teamKeyExactFirstThenCaseInsensitive() {
        assertEquals("a", TagMerge.team(Map.of("team", "a", "Team", "b"), "team"));
        assertEquals("b", TagMerge.team(Map.of("Team", "b"), "team"));
        assertNull(TagMerge.team(Map.of("squad", "x"), "team"));
    }
}
