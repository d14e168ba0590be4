package io.bedrockspend.ingest;

import io.bedrockspend.ingest.RecordDecoder.Inv;
import io.bedrockspend.ingest.RecordDecoder.Root;
import io.bedrockspend.ingest.RecordDecoder.Trail;
import io.bedrockspend.ingest.RecordDecoder.Where;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Byte-level fast path of {@link RecordDecoder} for the hot shapes: a root JSON object that is a raw
 * invocation record or a raw CloudTrail event. It fills the same {@link Root} as the Jackson path, field
 * by field in the same order with the same rules, so the decision and every output come from the same
 * code; field names are matched on the bytes, values it does not read are validated but never copied
 * (bodies included), and nothing is tokenized into objects.
 *
 * <p>It accepts a strict subset of what the Jackson path accepts and gives up ({@link #BAIL}) on
 * anything else, before anything was emitted: envelopes (CloudWatch Logs, EventBridge, {@code Records} in
 * {@link #scan}; a document that is exactly {@code {"Records":[...]}} is read element by element by
 * {@link #records} and {@link #nextRecord}, which give up at the first element they cannot decide),
 * root arrays, escapes in values or names it reads, any value of a type the Jackson path would flag or
 * coerce (numeric strings, floats, negative or capped counts), invalid UTF-8 anywhere it scans, any JSON
 * syntax error, deep nesting, very long names/numbers/strings. The Jackson path then decodes the record
 * and its outcome (often a dead letter with a precise reason) is the outcome.
 *
 * <p>One instance per record; not thread-safe.
 */
final class FastRecordScanner {
    static final int DONE = 0;
    /** A CloudTrail event this job does not use: stop here, as the Jackson path does. */
    static final int IRRELEVANT = 1;
    static final int BAIL = 2;

    /** Control flow for giving up; preallocated, no stack trace. */
    private static final class Bail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bail() {
            super(null, null, false, false);
        }
    }

    private static final Bail GIVE_UP = new Bail();
    private static final long NOT_LONG = Long.MIN_VALUE;
    /** Stricter than Jackson's defaults (names 50,000, numbers 1,000): past these the Jackson path decides. */
    private static final int MAX_NAME_BYTES = 1024;
    private static final int MAX_NUMBER_CHARS = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    // field names per object kind; ids are the indexes
    private static final Names ROOT = new Names("schemaType", "schemaVersion", "timestamp", "accountId", "identity",
            "region", "requestId", "operation", "modelId", "input", "output", "inferenceRegion", "performanceConfig",
            "serviceTier", "service_tier", "errorCode",
            // envelopes: the Jackson path
            "messageType", "logEvents", "detail-type", "detail", "Records",
            // CloudTrail
            "eventSource", "eventName", "eventTime", "eventID", "requestID", "awsRegion", "recipientAccountId",
            "readOnly", "eventVersion", "eventType", "userIdentity", "requestParameters", "responseElements",
            "additionalEventData"
            ).skipping("sourceIPAddress", "userAgent", "requestMetadata", "resources", "managementEvent", "eventCategory",
            "tlsDetails", "sharedEventID", "vpcEndpointId");
    private static final int SCHEMA_TYPE = 0, SCHEMA_VERSION = 1, TIMESTAMP = 2, ACCOUNT_ID = 3, IDENTITY = 4, REGION = 5,
            REQUEST_ID = 6, OPERATION = 7, MODEL_ID = 8, INPUT = 9, OUTPUT = 10, INFERENCE_REGION = 11,
            PERFORMANCE_CONFIG = 12, SERVICE_TIER = 13, SERVICE_TIER_SNAKE = 14, ERROR_CODE = 15, MESSAGE_TYPE = 16,
            LOG_EVENTS = 17, DETAIL_TYPE = 18, DETAIL = 19, RECORDS = 20, EVENT_SOURCE = 21, EVENT_NAME = 22,
            EVENT_TIME = 23, EVENT_ID = 24, TRAIL_REQUEST_ID = 25, AWS_REGION = 26, RECIPIENT_ACCOUNT_ID = 27,
            READ_ONLY = 28, EVENT_VERSION = 29, EVENT_TYPE = 30, USER_IDENTITY = 31, REQUEST_PARAMETERS = 32,
            RESPONSE_ELEMENTS = 33, ADDITIONAL_EVENT_DATA = 34;
    /** {@code arn} of {@code identity}, {@code sessionIssuer}, {@code assumedRoleUser}/{@code federatedUser}: one table each (their orders differ). */
    private static final Names ARN = new Names("arn");
    private static final Names ISSUER_ARN = new Names("arn").skipping("type", "principalId", "accountId", "userName");
    private static final Names ROLE_USER_ARN = new Names("arn").skipping("assumedRoleId", "federatedUserId");
    private static final Names INPUT_FIELDS = new Names("inputTokenCount", "cacheReadInputTokenCount", "cacheWriteInputTokenCount")
            .skipping("inputContentType", "inputBodyJson");
    private static final Names OUTPUT_FIELDS = new Names("outputTokenCount", "outputBodyJson").skipping("outputContentType");
    private static final Names BODY = new Names("usage", "message", "metadata");
    private static final Names USAGE = new Names("cache_creation", "cacheDetails");
    private static final Names CACHE_CREATION = new Names("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens");
    private static final Names CACHE_DETAIL = new Names("ttl", "inputTokens");
    private static final Names LATENCY = new Names("latency");
    private static final Names TYPE = new Names("type");
    private static final Names USER_IDENTITY_FIELDS = new Names("type", "arn", "accountId", "accessKeyId", "sessionContext", "onBehalfOf")
            .skipping("principalId", "userName", "invokedBy");
    private static final Names SESSION_CONTEXT = new Names("sourceIdentity", "sessionIssuer").skipping("webIdFederationData", "attributes");
    private static final Names USER_ID = new Names("userId").skipping("identityStoreArn");
    private static final Names REQUEST_PARAMETER_FIELDS = new Names("modelId", "roleArn", "roleName", "userName",
            "durationSeconds", "tags", "incomingTransitiveTags", "principalTags", "transitiveTagKeys", "tagKeys").skipping("roleSessionName");
    private static final Names RESPONSE_ELEMENT_FIELDS = new Names("assumedRoleUser", "federatedUser", "credentials")
            .skipping("subject", "subjectType", "audience");
    private static final Names CREDENTIALS = new Names("accessKeyId", "expiration").skipping("sessionToken");
    private static final Names INFERENCE_REGION_ONLY = new Names("inferenceRegion");
    private static final Names TAG = new Names("key", "Key", "value", "Value");

    /** Values compared by the decision code: returned as shared constants (no copy, hash cached). */
    private static final String[] KNOWN_VALUE_STRINGS = {"bedrock.amazonaws.com", "sts.amazonaws.com", "iam.amazonaws.com",
            "InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "AssumeRole", "AssumeRoleWithSAML",
            "AssumeRoleWithWebIdentity", "GetFederationToken", "ModelInvocationLog", "1.0"};
    private static final Names KNOWN_VALUES = new Names(KNOWN_VALUE_STRINGS);

    private final byte[] b;
    private final int end;
    private final int maxNesting;
    private final long maxTokens;
    private final int maxStringBytes;
    private int p;
    private int nesting;
    // the last field name: [nameStart, nameStart + nameLength), ASCII or not
    private int nameStart;
    private int nameLength;
    private boolean nameAscii;

    /** Learned field order ({@link #newOrder()}), or null. */
    private final int[] order;

    private FastRecordScanner(byte[] b, DecodeLimits limits, int[] order) {
        this.order = order;
        this.b = b;
        this.end = b.length;
        this.maxNesting = limits.maxNestingDepth;
        this.maxTokens = limits.maxTokenCount;
        this.maxStringBytes = Math.max(limits.maxRecordBytes, 1024);
    }

    /**
     * A table for the learned field order of {@link #name(Names, int)}: for each position in an object kind, 1 + the
     * id of the name that followed it last time (0: none yet). One per decoder; it only ever holds valid ids of
     * the right kind, so a table shared by racing threads is merely a worse guess, never a wrong result.
     */
    static int[] newOrder() {
        return new int[Names.contexts];
    }

    /**
     * Scans {@code b} (one whole record) into {@code r}: {@link #DONE} (decide on {@code r}), {@link #IRRELEVANT}
     * (an unused CloudTrail event, as far as read) or {@link #BAIL} (decode with the Jackson path instead;
     * {@code r} and {@code w} are then garbage).
     */
    static int scan(byte[] b, Root r, Where w, DecodeLimits limits) {
        return scan(b, r, w, limits, null);
    }

    /** As {@link #scan(byte[], Root, Where, DecodeLimits)}, guessing names from {@code order} ({@link #newOrder()}; null: no guesses). */
    static int scan(byte[] b, Root r, Where w, DecodeLimits limits, int[] order) {
        try {
            return new FastRecordScanner(b, limits, order).root(r, w);
        } catch (Bail | ArrayIndexOutOfBoundsException e) {
            // the index exception is input that ends inside a value; the Jackson path reports it precisely
            return BAIL;
        }
    }

    // ------------------------------------------------------------------------------------------
    // CloudTrail S3 delivery document: {"Records":[ev, ev, ...]}, element by element

    /** {@link #nextRecord} filled an element. */
    static final int RECORD = 3;

    /** Whether {@link #nextRecord} has read past the opening '[' of Records. */
    private boolean recordsStarted;

    /**
     * A scanner at the first element of {@code b} when it is a document whose top level is exactly
     * {@code {"Records":[}} (JSON whitespace allowed); null for anything else (the Jackson path decodes it).
     */
    static FastRecordScanner records(byte[] b, DecodeLimits limits) {
        return records(b, limits, null);
    }

    /** As {@link #records(byte[], DecodeLimits)}, guessing names from {@code order} (null: no guesses). */
    static FastRecordScanner records(byte[] b, DecodeLimits limits, int[] order) {
        try {
            FastRecordScanner s = new FastRecordScanner(b, limits, order);
            s.p = s.ws(0);
            if (s.b[s.p] != '{') {
                return null;
            }
            s.open();
            if (!s.firstField() || s.name(ROOT) != RECORDS || s.b[s.p] != '[') {
                return null; // another first key (also an escaped "Records"), or Records not an array
            }
            s.open();
            return s;
        } catch (Bail | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * The next element of Records into {@code t}, read as RecordDecoder.readTrailObject reads it:
     * {@link #RECORD} (finish {@code t} as element of Records), {@link #DONE} (the array and the document
     * closed, nothing follows) or {@link #BAIL} (this element, or what follows the array, is for the Jackson
     * path; {@code t} is then garbage and the scanner must not be used again).
     */
    int nextRecord(Trail t) {
        try {
            boolean more;
            if (recordsStarted) {
                more = nextElement();
            } else {
                recordsStarted = true;
                more = firstElement();
            }
            if (!more) {
                // ']' read: only '}' and whitespace may follow (other keys, trailing content: the Jackson path)
                return !nextField() && ws(p) == end ? DONE : BAIL;
            }
            if (b[p] != '{') {
                return BAIL; // UNKNOWN_SHAPE in the Jackson path
            }
            trailElement(t);
            return RECORD;
        } catch (Bail | ArrayIndexOutOfBoundsException e) {
            return BAIL;
        }
    }

    /** One Records element (p at its '{'): the fields of RecordDecoder.trailField, nothing after it is irrelevant. */
    private void trailElement(Trail t) {
        open();
        if (!firstField()) {
            return;
        }
        int context = ROOT.first();
        do {
            int id = name(ROOT, context);
            context = ROOT.after(id);
            if (t.knownIrrelevant()) {
                skipValue(); // the Jackson path skips every field once the event is known to be unused
                continue;
            }
            switch (id) {
                case EVENT_SOURCE: t.eventSource = knownStr(); break;
                case EVENT_NAME: t.eventName = knownStr(); break;
                case EVENT_TIME: t.eventTime = str(); break;
                case EVENT_ID: t.eventId = str(); break;
                case TRAIL_REQUEST_ID: t.requestId = str(); break;
                case AWS_REGION: t.awsRegion = str(); break;
                case RECIPIENT_ACCOUNT_ID: t.accountId = str(); break;
                case ERROR_CODE: t.errorCode = str(); break;
                case READ_ONLY: readOnly(); break;
                case USER_IDENTITY:
                case REQUEST_PARAMETERS:
                case RESPONSE_ELEMENTS:
                case ADDITIONAL_EVENT_DATA: trailDetail(id, t); break;
                default:
                    skipValue(); // eventVersion, eventType and fields the Jackson path does not read in an element
                    continue;
            }
            t.sawTrailField = true;
        } while (nextField());
    }

    /** readOnly: boolean, or "true"/"false" in re-serialised events; anything else is the Jackson path's WRONG_TYPE. */
    private void readOnly() {
        byte c = b[p];
        if (c != 't' && c != 'f' && c != '"' && c != 'n') {
            throw GIVE_UP;
        }
        skipValue();
    }

    // ------------------------------------------------------------------------------------------
    // root object: the same fields and order of effects as RecordDecoder.readObject

    private int root(Root r, Where w) {
        p = ws(0);
        if (b[p] != '{') {
            throw GIVE_UP; // root arrays, scalars, a BOM, UTF-16/32: the Jackson path
        }
        open();
        Inv inv = r.inv;
        Trail tr = r.trail;
        if (firstField()) {
            int context = ROOT.first();
            do {
                int id = name(ROOT, context);
                context = ROOT.after(id);
                switch (id) {
                    case SCHEMA_TYPE: inv.schemaType = knownStr(); break;
                    case SCHEMA_VERSION: inv.schemaVersion = knownStr(); break;
                    case TIMESTAMP: inv.timestamp = str(); break;
                    case ACCOUNT_ID: inv.accountId = str(); break;
                    case IDENTITY: inv.identityArn = arnOf(ARN); break;
                    case REGION: inv.region = str(); break;
                    case REQUEST_ID:
                        inv.requestId = str();
                        if (inv.requestId != null) {
                            w.seenId = inv.requestId;
                        }
                        break;
                    case OPERATION: inv.operation = str(); break;
                    case MODEL_ID: inv.modelId = str(); break;
                    case INPUT: inv.sawIo = true; input(inv); break;
                    case OUTPUT: inv.sawIo = true; output(inv); break;
                    case INFERENCE_REGION: inv.inferenceRegion = str(); break;
                    case PERFORMANCE_CONFIG: performanceConfig(inv); break;
                    case SERVICE_TIER:
                    case SERVICE_TIER_SNAKE: inv.serviceTier = serviceTier(); break;
                    case ERROR_CODE:
                        inv.errorCode = str();
                        tr.errorCode = inv.errorCode;
                        break;
                    case MESSAGE_TYPE:
                    case LOG_EVENTS:
                    case DETAIL_TYPE:
                    case DETAIL:
                    case RECORDS:
                        throw GIVE_UP;
                    default:
                        rootTrailField(id, tr, w); // in its own method: root stays small enough for the JIT to inline
                }
                if (inv.schemaType == null && tr.knownIrrelevant()) {
                    return IRRELEVANT; // the Jackson path stops reading here too
                }
            } while (nextField());
        }
        if (tr.eventId != null && w.seenId == null) {
            w.seenId = tr.eventId;
        }
        if (ws(p) != end) {
            throw GIVE_UP; // trailing content
        }
        return DONE;
    }

    /** A root field that is not an invocation record's: a CloudTrail event's, or one nobody reads. */
    private void rootTrailField(int id, Trail tr, Where w) {
        switch (id) {
            case EVENT_SOURCE: tr.eventSource = knownStr(); break;
            case EVENT_NAME: tr.eventName = knownStr(); break;
            case EVENT_TIME: tr.eventTime = str(); break;
            case EVENT_ID: tr.eventId = str(); break;
            case TRAIL_REQUEST_ID: tr.requestId = str(); break;
            case AWS_REGION: tr.awsRegion = str(); break;
            case RECIPIENT_ACCOUNT_ID: tr.accountId = str(); break;
            case READ_ONLY: readOnly(); break;
            case EVENT_VERSION:
            case EVENT_TYPE: skipValue(); break;
            case USER_IDENTITY:
            case REQUEST_PARAMETERS:
            case RESPONSE_ELEMENTS:
            case ADDITIONAL_EVENT_DATA:
                if (tr.knownIrrelevant()) {
                    skipValue(); // an event this job does not use: its details are not read
                } else {
                    trailDetail(id, tr);
                }
                break;
            default:
                skipValue();
                return;
        }
        trailField(tr, w);
    }

    private void trailDetail(int id, Trail tr) {
        switch (id) {
            case USER_IDENTITY: userIdentity(tr); break;
            case REQUEST_PARAMETERS: requestParameters(tr); break;
            case RESPONSE_ELEMENTS: responseElements(tr); break;
            default:
                if (b[p] == '{') {
                    for (int g = firstMember(INFERENCE_REGION_ONLY); g != END; g = nextMember(INFERENCE_REGION_ONLY, g)) {
                        tr.inferenceRegion = str();
                    }
                } else {
                    skipValue(); // additionalEventData of another type is not flagged
                }
        }
    }

    private static void trailField(Trail tr, Where w) {
        tr.sawTrailField = true;
        if (tr.eventId != null && w.seenId == null) {
            w.seenId = tr.eventId;
        }
    }

    // ------------------------------------------------------------------------------------------
    // invocation record

    /** {@code input}; inputBodyJson and other members are scanned, never copied. */
    private void input(Inv inv) {
        for (int id = firstMember(INPUT_FIELDS); id != END; id = nextMember(INPUT_FIELDS, id)) {
            long n = count();
            if (id == 0) {
                inv.inputTokens = n;
            } else if (id == 1) {
                inv.cacheReadTokens = n;
            } else {
                inv.cacheWriteTokens = n;
            }
        }
    }

    private void output(Inv inv) {
        for (int id = firstMember(OUTPUT_FIELDS); id != END; id = nextMember(OUTPUT_FIELDS, id)) {
            if (id == 0) {
                inv.outputTokens = count();
            } else {
                bodyUsage(inv, 0);
            }
        }
    }

    /** End of an object's members for {@link #firstMember}/{@link #nextMember}. */
    private static final int END = -1;

    /**
     * At an object (or null) at p: the id in {@code names} of its first member so named, with p at its value;
     * the others are skipped; {@link #END} for null or when the object closes first. Other types are the
     * Jackson path's WRONG_TYPE. Loop with {@link #nextMember} after reading each value.
     */
    private int firstMember(Names names) {
        if (!object() || !firstField()) {
            return END;
        }
        return member(names, names.first());
    }

    /** After the value of member {@code id}: the next member named in {@code names}, as {@link #firstMember}. */
    private int nextMember(Names names, int id) {
        return nextField() ? member(names, names.after(id)) : END;
    }

    /** At a name: the next wanted member of {@code names} ({@code context}: where in the object, see {@link #name(Names, int)}). */
    private int member(Names names, int context) {
        while (true) {
            int id = name(names, context);
            if (id >= 0 && id < names.wanted) {
                return id;
            }
            context = names.after(id);
            skipValue();
            if (!nextField()) {
                return END;
            }
        }
    }

    /** As RecordDecoder.scanBodyForUsage: only usage blocks are read, the rest is scanned and dropped. */
    private void bodyUsage(Inv inv, int depth) {
        byte c = b[p];
        if (c == '[' && depth == 0) {
            open();
            if (firstElement()) {
                do {
                    bodyUsage(inv, 1);
                } while (nextElement());
            }
            return;
        }
        if (c != '{') {
            skipValue();
            return;
        }
        open();
        if (firstField()) {
            do {
                int id = name(BODY);
                if (id == 0 && b[p] == '{') {
                    usage(inv);
                } else if ((id == 1 || id == 2) && b[p] == '{' && depth < 2) {
                    bodyUsage(inv, 2);
                } else {
                    skipValue();
                }
            } while (nextField());
        }
    }

    private void usage(Inv inv) {
        open();
        if (!firstField()) {
            return;
        }
        do {
            int id = name(USAGE);
            if (id == 0 && b[p] == '{') {
                for (int g = firstMember(CACHE_CREATION); g != END; g = nextMember(CACHE_CREATION, g)) {
                    if (g == 0) {
                        inv.split5m = Math.max(inv.split5m, bodyCount());
                    } else {
                        inv.split1h = Math.max(inv.split1h, bodyCount());
                    }
                }
            } else if (id == 1 && b[p] == '[') {
                open();
                if (firstElement()) {
                    do {
                        cacheDetail(inv);
                    } while (nextElement());
                }
            } else {
                skipValue();
            }
        } while (nextField());
    }

    private void cacheDetail(Inv inv) {
        if (b[p] != '{') {
            skipValue();
            return;
        }
        open();
        String ttl = null;
        long tokens = -1;
        if (firstField()) {
            do {
                int g = name(CACHE_DETAIL);
                if (g == 0 && b[p] == '"') {
                    ttl = string();
                } else if (g == 1) {
                    tokens = bodyCount();
                } else {
                    skipValue();
                }
            } while (nextField());
        }
        if ("1h".equals(ttl)) {
            inv.split1h = Math.max(inv.split1h, tokens);
        } else if ("5m".equals(ttl)) {
            inv.split5m = Math.max(inv.split5m, tokens);
        }
    }

    private void performanceConfig(Inv inv) {
        for (int id = firstMember(LATENCY); id != END; id = nextMember(LATENCY, id)) {
            if (b[p] == '"') {
                inv.latencyOptimized = "optimized".equalsIgnoreCase(string());
            } else {
                skipValue();
            }
        }
    }

    private String serviceTier() {
        if (b[p] == '"') {
            return string();
        }
        String type = null;
        for (int id = firstMember(TYPE); id != END; id = nextMember(TYPE, id)) {
            if (b[p] == '"') {
                type = string();
            } else {
                skipValue();
            }
        }
        return type;
    }

    /** A token count: a plain non-negative integer within the cap, or null (0); else the Jackson path decides. */
    private long count() {
        byte c = b[p];
        if (c == 'n') {
            literal(NULL);
            return 0;
        }
        if (c < '0' || c > '9') {
            throw GIVE_UP; // negative, numeric string, wrong type
        }
        long n = number();
        if (n == NOT_LONG || n > maxTokens) {
            throw GIVE_UP;
        }
        return n;
    }

    /** A usage count inside a body: -1 unless a sane non-negative integer (advisory only, never a dead letter). */
    private long bodyCount() {
        byte c = b[p];
        if (c == '-' || c >= '0' && c <= '9') {
            long n = number();
            return n == NOT_LONG || n < 0 || n > maxTokens ? -1 : n;
        }
        skipValue();
        return -1;
    }

    // ------------------------------------------------------------------------------------------
    // CloudTrail event

    private void userIdentity(Trail t) {
        for (int id = firstMember(USER_IDENTITY_FIELDS); id != END; id = nextMember(USER_IDENTITY_FIELDS, id)) {
            switch (id) {
                case 0: t.userIdentityType = str(); break;
                case 1: t.userIdentityArn = str(); break;
                case 2: t.userIdentityAccountId = str(); break;
                case 3: t.accessKeyId = str(); break;
                case 4:
                    for (int g = firstMember(SESSION_CONTEXT); g != END; g = nextMember(SESSION_CONTEXT, g)) {
                        if (g == 0) {
                            t.sourceIdentity = str();
                        } else {
                            t.sessionIssuerArn = arnOf(ISSUER_ARN);
                        }
                    }
                    break;
                default:
                    for (int g = firstMember(USER_ID); g != END; g = nextMember(USER_ID, g)) {
                        t.onBehalfOfUserId = str();
                    }
            }
        }
    }

    /** The {@code arn} of an object value ({@code identity}, {@code sessionIssuer}, {@code assumedRoleUser}). */
    private String arnOf(Names names) {
        String arn = null;
        for (int id = firstMember(names); id != END; id = nextMember(names, id)) {
            arn = str();
        }
        return arn;
    }

    private void requestParameters(Trail t) {
        for (int id = firstMember(REQUEST_PARAMETER_FIELDS); id != END; id = nextMember(REQUEST_PARAMETER_FIELDS, id)) {
            switch (id) {
                case 0: t.modelId = str(); break;
                case 1: t.roleArn = str(); break;
                case 2: t.roleName = str(); break;
                case 3: t.userName = str(); break;
                case 4: t.durationSeconds = lenientLong(); break;
                case 5: t.tags = tagList(); break;
                case 6: t.incomingTransitiveTags = stringMap(); break;
                case 7: t.principalTags = stringMap(); break;
                case 8: t.transitiveTagKeys = stringList(); break;
                default: t.tagKeys = stringList();
            }
        }
    }

    private void responseElements(Trail t) {
        for (int id = firstMember(RESPONSE_ELEMENT_FIELDS); id != END; id = nextMember(RESPONSE_ELEMENT_FIELDS, id)) {
            if (id == 0) {
                t.assumedRoleArn = arnOf(ROLE_USER_ARN);
            } else if (id == 1) {
                t.federatedUserArn = arnOf(ROLE_USER_ARN);
            } else {
                // sessionToken: skipped, never read
                for (int g = firstMember(CREDENTIALS); g != END; g = nextMember(CREDENTIALS, g)) {
                    if (g == 0) {
                        t.sessionAccessKeyId = str();
                    } else {
                        t.expiration = str();
                    }
                }
            }
        }
    }

    /** A non-negative integer, or a numeric string; -1 for null. */
    private long lenientLong() {
        byte c = b[p];
        if (c == '"') {
            return RecordDecoder.parseDigits(string());
        }
        if (c == 'n') {
            literal(NULL);
            return -1;
        }
        long n = number();
        if (n == NOT_LONG) {
            throw GIVE_UP; // a float: WRONG_TYPE in the Jackson path
        }
        return n;
    }

    /** {@code [{"key":k,"value":v}, ...]} (also {@code Key}/{@code Value}) with string values, in order. */
    private Map<String, String> tagList() {
        if (!array()) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (firstElement()) {
            do {
                if (b[p] != '{') {
                    throw GIVE_UP; // WRONG_TYPE in the Jackson path
                }
                String key = null;
                String value = null;
                for (int g = firstMember(TAG); g != END; g = nextMember(TAG, g)) {
                    if (g < 2) { // key, Key
                        key = str();
                    } else { // value, Value
                        value = str();
                    }
                }
                if (key != null) {
                    m.put(key, value == null ? "" : value);
                }
            } while (nextElement());
        }
        return m;
    }

    /** {@code {k: v, ...}} with string values. */
    private Map<String, String> stringMap() {
        if (!object()) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (firstField()) {
            do {
                name(null);
                String k = new String(b, nameStart, nameLength, nameAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
                String v = str();
                if (v != null) {
                    m.put(k, v);
                }
            } while (nextField());
        }
        return m;
    }

    /** {@code ["a","b"]} as {@code "a,b"}. */
    private String stringList() {
        if (!array()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (firstElement()) {
            do {
                String s = str();
                if (s != null) {
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(s);
                }
            } while (nextElement());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------
    // tokens

    /** A string value or null; anything else is the Jackson path's WRONG_TYPE (or its coercion). */
    private String str() {
        byte c = b[p];
        if (c == '"') {
            return string();
        }
        if (c == 'n') {
            literal(NULL);
            return null;
        }
        throw GIVE_UP;
    }

    /** As {@link #str()}, returning the shared constant when the value is one of {@link #KNOWN_VALUE_STRINGS}. */
    private String knownStr() {
        if (b[p] != '"') {
            return str();
        }
        int start = p + 1;
        int close = stringEnd();
        int id = stringAscii ? KNOWN_VALUES.find(b, start, close - start) : -1;
        p = close + 1;
        return id >= 0 ? KNOWN_VALUE_STRINGS[id]
                : new String(b, start, close - start, stringAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** Object start: true after '{', false after null; other types are the Jackson path's WRONG_TYPE. */
    private boolean object() {
        return container((byte) '{');
    }

    /** Array start: true after '[', false after null; other types are the Jackson path's WRONG_TYPE. */
    private boolean array() {
        return container((byte) '[');
    }

    private boolean container(byte bracket) {
        byte c = b[p];
        if (c == bracket) {
            open();
            return true;
        }
        if (c == 'n') {
            literal(NULL);
            return false;
        }
        throw GIVE_UP;
    }

    private void open() {
        p++;
        if (++nesting >= maxNesting) {
            throw GIVE_UP; // the Jackson path applies the exact depth limit
        }
    }

    /** After '{': true at the first name, false (object closed) on '}'. */
    private boolean firstField() {
        return first((byte) '}', true);
    }

    /** After a member's value: true at the next name, false after the closing '}'. */
    private boolean nextField() {
        return next((byte) '}', true);
    }

    /** After '[': true at the first value, false (array closed) on ']'. */
    private boolean firstElement() {
        return first((byte) ']', false);
    }

    private boolean nextElement() {
        return next((byte) ']', false);
    }

    private boolean first(byte close, boolean name) {
        byte c = b[p];
        if (c <= ' ') {
            p = ws(p);
            c = b[p];
        }
        if (c == close) {
            p++;
            nesting--;
            return false;
        }
        if (name && c != '"') {
            throw GIVE_UP;
        }
        return true; // an array element is checked by whatever reads it
    }

    private boolean next(byte close, boolean name) {
        byte c = b[p];
        if (c <= ' ') {
            p = ws(p);
            c = b[p];
        }
        p++;
        if (c == ',') {
            if (b[p] <= ' ') {
                p = ws(p);
            }
            if (name && b[p] != '"') {
                throw GIVE_UP; // includes a trailing comma
            }
            return true;
        }
        if (c == close) {
            nesting--;
            return false;
        }
        throw GIVE_UP;
    }

    /**
     * As {@link #name(Names)}, trying first the name that followed {@code context} (a position in an object of
     * {@code names}: {@link Names#first()} or {@link Names#after}) the last time this decoder saw it: records of
     * one producer repeat their field order, so nearly every name is then matched by comparing its bytes (and
     * the '"' and ':' after it) a word at a time, without searching for its end or hashing it. The guess is
     * only a shortcut: a name matches exactly those bytes or takes the general path, so results never depend on it.
     */
    private int name(Names names, int context) {
        int[] order = this.order;
        if (order != null) {
            int guess = order[context] - 1;
            int s = p + 1;
            if (guess >= 0 && names.matches(b, s, end, guess)) {
                int len = names.length(guess);
                nameStart = s;
                nameLength = len;
                nameAscii = true;
                int i = s + len + 2; // past the closing '"' and the ':'
                if (b[i] <= ' ') {
                    i = ws(i);
                }
                p = i;
                return guess;
            }
            int id = name(names);
            if (id != guess) {
                order[context] = id + 1;
            }
            return id;
        }
        return name(names);
    }

    /** Reads the name at p (a '"'), the ':' and following whitespace; returns its id in {@code names} or -1. */
    private int name(Names names) {
        byte[] b = this.b;
        int s = p + 1;
        if (s + 16 <= end) {
            // an ASCII name without escapes (nearly all): its end found a word at a time, keyed by its first two words
            long w0 = (long) LONGS.get(b, s);
            long m0 = special(w0);
            int len;
            long k0;
            long k1;
            if (m0 != 0) {
                len = Long.numberOfTrailingZeros(m0) >>> 3;
                k0 = w0 & ~(-1L << (len << 3));
                k1 = 0;
            } else {
                long w1 = (long) LONGS.get(b, s + 8);
                long m1 = special(w1);
                k0 = w0;
                if (m1 != 0) {
                    int tail = Long.numberOfTrailingZeros(m1) >>> 3;
                    len = 8 + tail;
                    k1 = w1 & ~(-1L << (tail << 3));
                } else {
                    // 16 bytes or more: find the end a word at a time, keyed by the first two words
                    int i = s + 16;
                    while (true) {
                        if (i + 8 > end || i - s > MAX_NAME_BYTES) {
                            return slowName(names);
                        }
                        long m = special((long) LONGS.get(b, i));
                        if (m != 0) {
                            i += Long.numberOfTrailingZeros(m) >>> 3;
                            break;
                        }
                        i += 8;
                    }
                    len = i - s;
                    k1 = w1;
                }
            }
            int i = s + len;
            if (b[i] != '"') {
                return slowName(names); // an escape, a control or non-ASCII byte: the general path
            }
            nameStart = s;
            nameLength = len;
            nameAscii = true;
            i++;
            if (b[i] != ':') {
                i = ws(i);
                if (b[i] != ':') {
                    throw GIVE_UP;
                }
            }
            i++;
            if (b[i] <= ' ') {
                i = ws(i);
            }
            p = i;
            return names == null ? -1 : names.find(b, s, len, k0, k1);
        }
        return slowName(names);
    }

    private int slowName(Names names) {
        int start = p + 1;
        int i = stringEnd(); // gives up on escapes: Jackson matches the unescaped name
        int len = i - start;
        if (len > MAX_NAME_BYTES) {
            throw GIVE_UP;
        }
        boolean ascii = stringAscii;
        nameStart = start;
        nameLength = len;
        nameAscii = ascii;
        i = ws(i + 1);
        if (b[i] != ':') {
            throw GIVE_UP;
        }
        p = ws(i + 1);
        return names == null || !ascii ? -1 : names.find(b, start, len);
    }

    /** The string at p (a '"'), without escapes; decoded exactly as Jackson decodes valid UTF-8. */
    private String string() {
        byte[] b = this.b;
        int start = p + 1;
        // ASCII without escapes (nearly all): a word at a time to the closing quote
        for (int i = start; i + 8 <= end; i += 8) {
            long m = special((long) LONGS.get(b, i));
            if (m != 0) {
                i += Long.numberOfTrailingZeros(m) >>> 3;
                if (b[i] != '"' || i - start > maxStringBytes) {
                    break; // the general path decides
                }
                p = i + 1;
                return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        int close = stringEnd();
        p = close + 1;
        return new String(b, start, close - start, stringAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** Whether the string last scanned by {@link #stringEnd()} is pure ASCII. */
    private boolean stringAscii;

    /** The index of the closing quote of the string at p (a '"'); gives up on escapes. Does not move p. */
    private int stringEnd() {
        byte[] b = this.b;
        int start = p + 1;
        int i = start;
        int last8 = end - 8;
        boolean ascii = true;
        while (true) {
            if (i <= last8) {
                long m = special((long) LONGS.get(b, i));
                if (m == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(m) >>> 3;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c >= 0x20 && c != '\\') {
                i++; // a plain byte in the last 8 bytes of the record
            } else if (c < 0) {
                ascii = false;
                i = utf8(i);
            } else {
                throw GIVE_UP; // an escape (the Jackson path unescapes) or a control character
            }
        }
        if (i - start > maxStringBytes) {
            throw GIVE_UP;
        }
        stringAscii = ascii;
        return i;
    }

    /** Skips the string at p (a '"'), validating escapes, control characters and UTF-8; never copies it. */
    private void skipString() {
        p = skipStringAt(p);
    }

    /** The index after the string whose opening quote is at q, validated as {@link #skipString()}. */
    private int skipStringAt(int q) {
        byte[] b = this.b;
        int i = q + 1;
        int last8 = end - 8;
        while (true) {
            if (i <= last8) {
                long m = special((long) LONGS.get(b, i));
                if (m == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(m) >>> 3;
            }
            byte c = b[i];
            if (c == '"') {
                return i + 1;
            }
            if (c >= 0x20 && c != '\\') {
                i++;
            } else if (c == '\\') {
                i = escape(i);
            } else if (c < 0) {
                i = utf8(i);
            } else {
                throw GIVE_UP;
            }
        }
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Inside a string: the high bit of each byte of the little-endian word {@code x} that is not plain (a '"',
     * '\\', control or non-ASCII byte). Borrows only flag bytes above a real match, so the lowest flag is exact.
     * For an ASCII byte, {@code quote - 1}, {@code backslash - 1} and {@code x - 0x20} set its high bit exactly when
     * it is a '"', a '\\' or a control byte (or a borrow came from a match below); a non-ASCII byte is flagged by
     * {@code x} itself, so the usual {@code & ~v} of the zero-byte test is not needed (9 operations, not 13).
     */
    static long special(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        return (x | (quote - ONES) | (backslash - ONES) | (x - 0x2020202020202020L)) & HIGHS;
    }

    /** Validates the escape at i (a '\\'); returns the index after it. */
    private int escape(int i) {
        switch (b[i + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                return i + 2;
            case 'u':
                for (int k = i + 2; k < i + 6; k++) {
                    byte h = b[k];
                    if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                        throw GIVE_UP;
                    }
                }
                return i + 6;
            default:
                throw GIVE_UP;
        }
    }

    private int utf8(int i) {
        int next = Utf8.sequenceEnd(b, i, end);
        if (next < 0) {
            throw GIVE_UP;
        }
        return next;
    }

    private void skipValue() {
        switch (b[p]) {
            case '"': skipString(); return;
            case '{':
            case '[': skipContainer(); return;
            case 't': literal(TRUE); return;
            case 'f': literal(FALSE); return;
            case 'n': literal(NULL); return;
            default: number(); // gives up on anything that is not a number
        }
    }

    /**
     * Skips the object or array at p with everything in it, validated as the readers validate what they read
     * (names without escapes, strict UTF-8, escapes, literals, numbers, nesting limit): one loop with the
     * cursor in a local and the open containers as a bit stack (deeper than 62 levels: the Jackson path).
     */
    private void skipContainer() {
        byte[] b = this.b;
        int i = p;
        int room = Math.min(maxNesting - nesting, 63); // open() gives up when ++nesting >= maxNesting
        long objects = 0; // bit 0: is the innermost open container an object
        int depth = 0;
        byte c = b[i];
        values:
        while (true) {
            // at the first byte of a value
            if (c == '{' || c == '[') {
                if (++depth >= room) {
                    throw GIVE_UP;
                }
                boolean object = c == '{';
                objects = objects << 1 | (object ? 1 : 0);
                c = b[++i];
                if (c <= ' ') {
                    i = ws(i);
                    c = b[i];
                }
                if (c == (object ? '}' : ']')) {
                    i++;
                    depth--;
                    objects >>>= 1;
                } else {
                    if (object) {
                        i = nameValueAt(i);
                        c = b[i];
                    }
                    continue;
                }
            } else if (c == '"') {
                i = skipStringAt(i);
            } else if (c == 't') {
                i = literalAt(i, TRUE);
            } else if (c == 'f') {
                i = literalAt(i, FALSE);
            } else if (c == 'n') {
                i = literalAt(i, NULL);
            } else {
                i = numberEnd(i);
            }
            // after a value: separators and closing brackets
            while (depth > 0) {
                c = b[i];
                if (c <= ' ') {
                    i = ws(i);
                    c = b[i];
                }
                boolean object = (objects & 1) != 0;
                if (c == ',') {
                    c = b[++i];
                    if (c <= ' ') {
                        i = ws(i);
                        c = b[i];
                    }
                    if (object) {
                        i = nameValueAt(i);
                        c = b[i];
                    }
                    continue values;
                }
                if (c != (object ? '}' : ']')) {
                    throw GIVE_UP;
                }
                i++;
                depth--;
                objects >>>= 1;
            }
            p = i;
            return;
        }
    }

    /** At a member name inside a skipped object (q: its '"'): the index of its value, as {@link #name} checks it. */
    private int nameValueAt(int q) {
        if (b[q] != '"') {
            throw GIVE_UP;
        }
        byte[] b = this.b;
        int close = -1;
        // ASCII without escapes (nearly all): a word at a time to the closing quote
        for (int i = q + 1; i + 8 <= end; i += 8) {
            long m = special((long) LONGS.get(b, i));
            if (m != 0) {
                i += Long.numberOfTrailingZeros(m) >>> 3;
                if (b[i] == '"') {
                    close = i;
                }
                break;
            }
        }
        if (close < 0) {
            p = q;
            close = stringEnd(); // gives up on escapes, as name() does
        }
        if (close - q - 1 > MAX_NAME_BYTES) {
            throw GIVE_UP;
        }
        int i = close + 1;
        if (b[i] != ':') {
            i = ws(i);
            if (b[i] != ':') {
                throw GIVE_UP;
            }
        }
        i++;
        if (b[i] <= ' ') {
            i = ws(i);
        }
        return i;
    }

    private void literal(byte[] lit) {
        p = literalAt(p, lit);
    }

    private int literalAt(int i, byte[] lit) {
        for (int k = 0; k < lit.length; k++) {
            if (b[i + k] != lit[k]) {
                throw GIVE_UP;
            }
        }
        return i + lit.length; // "nullx" is caught by the separator check that follows every value
    }

    /**
     * The JSON number at p, validated: its value when an integer of at most 18 digits (any such value fits a
     * long), {@link #NOT_LONG} for a fraction or exponent; longer integers give up (Jackson's BigInteger).
     */
    private long number() {
        byte[] b = this.b;
        int from = p;
        int i = numberEnd(from);
        p = i;
        if (numberFractional) {
            return NOT_LONG;
        }
        boolean negative = b[from] == '-';
        long v = 0;
        for (int k = negative ? from + 1 : from; k < i; k++) {
            v = v * 10 + (b[k] - '0');
        }
        return negative ? -v : v;
    }

    /** Whether the number last validated by {@link #numberEnd} has a fraction or exponent. */
    private boolean numberFractional;

    /** The index after the JSON number at i, validated (see {@link #number()}); gives up on anything else. */
    private int numberEnd(int i) {
        byte[] b = this.b;
        int from = i;
        if (b[i] == '-') {
            i++;
        }
        int digitsFrom = i;
        byte c = b[i];
        if (c == '0') {
            i++;
            if (isDigit(b[i])) {
                throw GIVE_UP; // leading zero
            }
        } else if (c >= '1' && c <= '9') {
            do {
                i++;
            } while (isDigit(b[i]));
        } else {
            throw GIVE_UP;
        }
        int digitsTo = i;
        boolean integral = true;
        if (b[i] == '.') {
            integral = false;
            i++;
            if (!isDigit(b[i])) {
                throw GIVE_UP;
            }
            do {
                i++;
            } while (isDigit(b[i]));
        }
        if (b[i] == 'e' || b[i] == 'E') {
            integral = false;
            i++;
            if (b[i] == '+' || b[i] == '-') {
                i++;
            }
            if (!isDigit(b[i])) {
                throw GIVE_UP;
            }
            do {
                i++;
            } while (isDigit(b[i]));
        }
        if (i - from > MAX_NUMBER_CHARS) {
            throw GIVE_UP;
        }
        if (integral && digitsTo - digitsFrom > 18) {
            throw GIVE_UP;
        }
        numberFractional = !integral;
        return i;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Index of the first non-whitespace byte at or after i (JSON whitespace: space, tab, LF, CR). */
    private int ws(int i) {
        byte[] b = this.b;
        int e = end;
        while (i < e) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }

    /**
     * Field names of one object kind: open addressing keyed by the name's first 16 bytes as two little-endian
     * words (zero past the end), verified on length, both words and, for longer names, the remaining bytes.
     */
    static final class Names {
        /** Longest name (with '"' and ':') that {@link #matches} compares: 4 words, 30 bytes of name. */
        private static final int PATTERN_WORDS = 4;
        /** Contexts handed out so far (see {@link #first()}): the size of {@link #newOrder()}. */
        private static int contexts;

        /** ids below this are the names asked for; the ones {@link #skipping} adds follow. */
        final int wanted;
        /** This table's first context: {@link #first()}, then one after each id, then one after an unknown name. */
        private final int base;
        /**
         * Per id, {@link #PATTERN_WORDS} words from {@code PATTERN_WORDS * id}: the name, then '"' and ':', as
         * little-endian words (zero past the end), and the masks of their bytes (zero for unused words).
         */
        private final long[] patterns;
        private final long[] patternMasks;
        /** Per id: the words its pattern takes; 0 for names too long to guess. */
        private final int[] patternWords;
        private final int[] lengths;
        private final int[] lens; // -1: empty slot
        private final long[] firstWords;
        private final long[] secondWords;
        private final byte[][] keys;
        private final int[] ids;
        private final int mask;

        Names(String... names) {
            this(names, names.length);
        }

        /** The same names, plus {@code more} that readers skip: known so that their order can be learned too. */
        Names skipping(String... more) {
            String[] all = java.util.Arrays.copyOf(names, names.length + more.length);
            System.arraycopy(more, 0, all, names.length, more.length);
            return new Names(all, wanted);
        }

        private final String[] names;

        private Names(String[] names, int wanted) {
            this.names = names;
            this.wanted = wanted;
            synchronized (Names.class) {
                base = contexts;
                contexts += names.length + 2;
            }
            patterns = new long[names.length * PATTERN_WORDS];
            patternMasks = new long[names.length * PATTERN_WORDS];
            patternWords = new int[names.length];
            lengths = new int[names.length];
            for (int id = 0; id < names.length; id++) {
                byte[] k = (names[id] + "\":").getBytes(StandardCharsets.US_ASCII);
                int n = (k.length + 7) >>> 3;
                lengths[id] = k.length - 2;
                if (n > PATTERN_WORDS) {
                    continue; // never guessed: found the general way
                }
                patternWords[id] = n;
                for (int j = 0; j < n; j++) {
                    int bytes = Math.min(8, k.length - j * 8);
                    patterns[id * PATTERN_WORDS + j] = word(k, j * 8, k.length);
                    patternMasks[id * PATTERN_WORDS + j] = bytes == 8 ? -1L : ~(-1L << (bytes << 3));
                }
            }
            int size = Integer.highestOneBit(Math.max(4, names.length * 4) - 1) << 1;
            lens = new int[size];
            java.util.Arrays.fill(lens, -1);
            firstWords = new long[size];
            secondWords = new long[size];
            keys = new byte[size][];
            ids = new int[size];
            mask = size - 1;
            for (int id = 0; id < names.length; id++) {
                byte[] k = names[id].getBytes(StandardCharsets.US_ASCII);
                long k0 = word(k, 0, k.length);
                long k1 = word(k, 8, k.length);
                int h = slot(k0, k1);
                while (lens[h] >= 0) {
                    h = (h + 1) & mask;
                }
                lens[h] = k.length;
                firstWords[h] = k0;
                secondWords[h] = k1;
                keys[h] = k;
                ids[h] = id;
            }
        }

        /** The context at the start of an object. */
        int first() {
            return base;
        }

        /** The context after a name with this id (-1: a name not in the table). */
        int after(int id) {
            return base + 1 + (id < 0 ? names.length : id);
        }

        int length(int id) {
            return lengths[id];
        }

        /** Whether b at s holds name {@code id}, its closing '"' and a ':' (whole words: false near the end of b). */
        boolean matches(byte[] b, int s, int end, int id) {
            int n = patternWords[id];
            if (n == 0 || s + n * 8 > end) {
                return false;
            }
            int o = id * PATTERN_WORDS;
            long diff = ((long) LONGS.get(b, s) ^ patterns[o]) & patternMasks[o];
            if (n > 1) {
                diff |= ((long) LONGS.get(b, s + 8) ^ patterns[o + 1]) & patternMasks[o + 1];
                if (n > 2) {
                    diff |= ((long) LONGS.get(b, s + 16) ^ patterns[o + 2]) & patternMasks[o + 2];
                    if (n > 3) {
                        diff |= ((long) LONGS.get(b, s + 24) ^ patterns[o + 3]) & patternMasks[o + 3];
                    }
                }
            }
            return diff == 0;
        }

        /** Bytes [from, min(from + 8, to)) of b as a little-endian word, zero above. */
        private static long word(byte[] b, int from, int to) {
            int n = Math.min(8, to - from);
            if (n <= 0) {
                return 0;
            }
            if (from + 8 <= b.length) {
                long w = (long) LONGS.get(b, from);
                return n == 8 ? w : w & ~(-1L << (n << 3));
            }
            long w = 0;
            for (int i = from + n - 1; i >= from; i--) {
                w = w << 8 | (b[i] & 0xff);
            }
            return w;
        }

        private int slot(long k0, long k1) {
            long h = k0 * 0x9E3779B97F4A7C15L + k1 * 0xC2B2AE3D27D4EB4FL;
            return (int) (h >>> 40) & mask;
        }

        /** The id of the ASCII name {@code b[s, s + len)}, or -1. */
        int find(byte[] b, int s, int len) {
            return find(b, s, len, word(b, s, s + len), word(b, s + 8, s + len));
        }

        /** As {@link #find(byte[], int, int)}, given the name's first 16 bytes as {@link #word} makes them. */
        int find(byte[] b, int s, int len, long k0, long k1) {
            int h = slot(k0, k1);
            int l;
            while ((l = lens[h]) >= 0) {
                if (l == len && firstWords[h] == k0 && secondWords[h] == k1 && (len <= 16 || sameTail(keys[h], b, s, len))) {
                    return ids[h];
                }
                h = (h + 1) & mask;
            }
            return -1;
        }

        /** Bytes 16.. of a name of len > 16 bytes, a word at a time (the last word overlapping). */
        private static boolean sameTail(byte[] k, byte[] b, int s, int len) {
            int i = 16;
            for (; i + 8 <= len; i += 8) {
                if ((long) LONGS.get(k, i) != (long) LONGS.get(b, s + i)) {
                    return false;
                }
            }
            return i == len || (long) LONGS.get(k, len - 8) == (long) LONGS.get(b, s + len - 8);
        }
    }
}
