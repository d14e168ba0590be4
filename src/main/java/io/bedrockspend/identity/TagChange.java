package io.bedrockspend.identity;

import io.bedrockspend.StringMapTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;

/** One change to a principal's IAM tags at a point in time, as CloudTrail reported it. */
public class TagChange {
    public enum Op {
        /** The principal's tags become exactly {@link #tags} (CreateRole/CreateUser, or the seed export). */
        REPLACE,
        /** Keys in {@link #tags} are set (TagRole/TagUser). */
        SET,
        /** Keys in {@link #removedKeys} are removed (UntagRole/UntagUser). */
        REMOVE,
        /** The principal is deleted: no tags from here on (DeleteRole/DeleteUser). */
        DELETE
    }

    public long atMillis;
    public String eventId;
    /** {@link Op} name. */
    public String op;
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tags;
    /** Comma-separated keys removed by a REMOVE. */
    public String removedKeys;

    public TagChange() {}

    public static TagChange of(long atMillis, String eventId, Op op, Map<String, String> tags, String removedKeys) {
        TagChange c = new TagChange();
        c.atMillis = atMillis;
        c.eventId = eventId;
        c.op = op.name();
        c.tags = tags;
        c.removedKeys = removedKeys;
        return c;
    }
}
