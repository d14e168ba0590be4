package io.bedrockspend.identity;

import java.util.Map;
import java.util.TreeMap;

/** Effective tags: principal tags overlaid by session tags (session wins on the same key, as IAM does). */
public final class TagMerge {
    private TagMerge() {}

    public static Map<String, String> effective(Map<String, String> principalTags, Map<String, String> sessionTags) {
        Map<String, String> out = new TreeMap<>();
        if (principalTags != null) out.putAll(principalTags);
        if (sessionTags != null) out.putAll(sessionTags);
        return out;
    }

    /**
     * The value of the team key: exact key first, then a case-insensitive match (IAM keys are
     * case-sensitive, but "Team" and "team" both occur in the wild); null when absent or blank.
     */
    public static String team(Map<String, String> effective, String teamKey) {
        if (effective == null || effective.isEmpty()) return null;
        String v = effective.get(teamKey);
        if (v == null) {
            for (Map.Entry<String, String> e : effective.entrySet()) {
                if (e.getKey().equalsIgnoreCase(teamKey)) { v = e.getValue(); break; }
            }
        }
        return v == null || v.isBlank() ? null : v;
    }

    /** The attribution level of a merged tag set for the configured team key. */
    public static Attribution level(Map<String, String> effective, String teamKey) {
        if (effective == null || effective.isEmpty()) return Attribution.NONE;
        return team(effective, teamKey) == null ? Attribution.PARTIAL : Attribution.COMPLETE;
    }
}
