package io.bedrockspend.ingest;

/** Why a record went to the dead-letter output. Stable codes: dashboards and runbooks key on them. */
public enum DeadLetterReason {
    TRUNCATED_GZIP("gzip stream ended early or is corrupt"),
    DECOMPRESSED_TOO_LARGE("decompressed size exceeds the configured cap"),
    RECORD_TOO_LARGE("record exceeds the configured size cap"),
    INVALID_UTF8("bytes are not valid UTF-8"),
    INVALID_JSON("not valid JSON"),
    TOO_DEEPLY_NESTED("JSON nesting exceeds the configured depth"),
    UNKNOWN_SHAPE("JSON is not an invocation record, CloudWatch Logs payload, CloudTrail event or EventBridge envelope"),
    UNKNOWN_SCHEMA_VERSION("invocation record has a schemaVersion this build does not know"),
    MISSING_REQUEST_ID("invocation record has no requestId"),
    MISSING_TIMESTAMP("record has no timestamp"),
    BAD_TIMESTAMP("timestamp is not ISO-8601"),
    WRONG_TYPE("a field has the wrong JSON type"),
    NEGATIVE_TOKEN_COUNT("a token count is negative"),
    ABSURD_TOKEN_COUNT("a token count exceeds the plausibility cap"),
    INCONSISTENT_CACHE_SPLIT("1-hour cache writes exceed total cache writes"),
    MISSING_EVENT_FIELDS("CloudTrail event lacks eventSource, eventName or eventTime"),
    EVENTBRIDGE_WITHOUT_DETAIL("EventBridge envelope has no detail object"),
    CONFLICTING_DUPLICATE("same requestId delivered again with different content");

    public final String description;

    DeadLetterReason(String description) {
        this.description = description;
    }
}
