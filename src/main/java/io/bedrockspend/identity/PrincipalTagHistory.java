package io.bedrockspend.identity;

import io.bedrockspend.ingest.TrailEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Point-in-time principal tags. Changes are kept as deltas in event-time order and replayed onto
 * the seed, so IAM events that arrive out of order still give the tags in force at a call's time.
 */
public final class PrincipalTagHistory {
    private PrincipalTagHistory() {}

    /** Tags in force at {@code t}: the seed with every change at or before {@code t} applied in time order. */
    public static Map<String, String> tagsAt(Map<String, String> seed, List<TagChange> changes, long t) {
        Map<String, String> tags = new TreeMap<>(seed == null ? Map.of() : seed);
        if (changes == null) return tags;
        for (TagChange c : changes) {
            if (c.atMillis > t) break;
            switch (TagChange.Op.valueOf(c.op)) {
                case REPLACE -> { tags.clear(); if (c.tags != null) tags.putAll(c.tags); }
                case SET -> { if (c.tags != null) tags.putAll(c.tags); }
                case REMOVE -> {
                    if (c.removedKeys != null) for (String k : c.removedKeys.split(",")) if (!k.isEmpty()) tags.remove(k);
                }
                case DELETE -> tags.clear();
            }
        }
        return tags;
    }

    /**
     * Adds a change, keeping time order; the same CloudTrail event twice (multi-region trails, two
     * delivery paths) is applied once. Beyond {@code maxChanges} the oldest are folded into one REPLACE.
     */
    public static List<TagChange> add(Map<String, String> seed, List<TagChange> changes, TagChange change, int maxChanges) {
        List<TagChange> out = new ArrayList<>(changes == null ? List.of() : changes);
        for (TagChange c : out) {
            if (c.eventId != null && c.eventId.equals(change.eventId)) return out;
        }
        out.add(change);
        out.sort(Comparator.comparingLong(c -> c.atMillis));
        while (out.size() > maxChanges) {
            TagChange first = out.get(1);
            Map<String, String> folded = tagsAt(seed, out.subList(0, 2), first.atMillis);
            out.remove(0);
            out.set(0, TagChange.of(first.atMillis, first.eventId, TagChange.Op.REPLACE, folded, null));
        }
        return out;
    }

    /** The change an IAM tag event makes, or null when the event is not a tag change. */
    public static TagChange changeOf(TrailEvent e) {
        if (e.eventName == null) return null;
        return switch (e.eventName) {
            case "CreateRole", "CreateUser" -> TagChange.of(e.eventTimeMillis, e.eventId, TagChange.Op.REPLACE, e.tagsSet, null);
            case "TagRole", "TagUser" -> TagChange.of(e.eventTimeMillis, e.eventId, TagChange.Op.SET, e.tagsSet, null);
            case "UntagRole", "UntagUser" -> TagChange.of(e.eventTimeMillis, e.eventId, TagChange.Op.REMOVE, null, e.tagKeysRemoved);
            case "DeleteRole", "DeleteUser" -> TagChange.of(e.eventTimeMillis, e.eventId, TagChange.Op.DELETE, null, null);
            default -> null;
        };
    }

    /** Canonical principal an IAM tag event applies to, from the account and the role or user name. */
    public static String principalOf(TrailEvent e) {
        if (e.targetName == null || e.targetType == null || e.accountId == null) return null;
        String partition = "aws";
        if (e.userIdentityArn != null && e.userIdentityArn.startsWith("arn:")) {
            int c = e.userIdentityArn.indexOf(':', 4);
            if (c > 4) partition = e.userIdentityArn.substring(4, c);
        }
        // role and user names may arrive with a path in some SDKs; the canonical form drops it
        String name = e.targetName.substring(e.targetName.lastIndexOf('/') + 1);
        return "arn:" + partition + ":iam::" + e.accountId + ":" + e.targetType + "/" + name;
    }
}
