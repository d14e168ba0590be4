import gzip, json, os, io
# Regenerates the bad-input corpus next to this script: python3 _make_corpus.py
# Files are NN-name plus MANIFEST.tsv; outcomes were checked against the decoder (BadInputCorpusTest).
import re
D=os.path.dirname(os.path.abspath(__file__))
for f in os.listdir(D):
    if re.match(r'^\d\d-', f) or f == 'MANIFEST.tsv': os.remove(os.path.join(D,f))
man=[]
n=[0]
def inv(i, **over):
    r={"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-03-02T09:00:00Z","accountId":"111122223333",
       "identity":{"arn":"arn:aws:iam::111122223333:user/corpus"},"region":"us-east-1","requestId":"c0a0b0c0-0000-4000-8000-%012d"%i,
       "operation":"InvokeModel","modelId":"amazon.nova-micro-v1:0",
       "input":{"inputContentType":"application/json","inputTokenCount":100},
       "output":{"outputContentType":"application/json","outputTokenCount":50}}
    for k,v in over.items():
        if v is DEL: r.pop(k,None)
        else: r[k]=v
    return r
DEL=object()
def trail(i, **over):
    r={"eventVersion":"1.10","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/corpus","accountId":"111122223333","accessKeyId":"AKIACORPUS"},
       "eventTime":"2026-03-02T09:00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"us-east-1",
       "requestParameters":{"modelId":"amazon.nova-micro-v1:0"},"responseElements":None,"requestID":"d0a0b0c0-0000-4000-8000-%012d"%i,
       "eventID":"e0a0b0c0-0000-4000-8000-%012d"%i,"readOnly":True,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}
    for k,v in over.items():
        if v is DEL: r.pop(k,None)
        else: r[k]=v
    return r
def j(o): return json.dumps(o,separators=(',',':')).encode()
def add(name, data, outcome, replay=None, note=''):
    n[0]+=1
    fn='%02d-%s'%(n[0],name)
    open(os.path.join(D,fn),'wb').write(data)
    man.append((fn,outcome,replay or outcome,note))
def gz(b, level=9):
    bio=io.BytesIO()
    with gzip.GzipFile(fileobj=bio,mode='wb',compresslevel=level,mtime=0) as g: g.write(b)
    return bio.getvalue()
i=[0]
def nx(): i[0]+=1; return i[0]
# --- gzip
g=gz(j(inv(nx()))); add('truncated-gzip.bin', g[:len(g)//2], 'TRUNCATED_GZIP', note='gzip cut in half')
g=bytearray(gz(j(inv(nx())))); g[-6]^=0xff; add('gzip-bad-crc.bin', bytes(g), 'TRUNCATED_GZIP', note='CRC32 trailer corrupted')
add('gzip-garbage-after-magic.bin', b'\x1f\x8b\x08\x00'+bytes(range(7,200)), 'TRUNCATED_GZIP', note='magic bytes then garbage')
add('gzip-bomb.bin', gz(b'\0'*(65*1024*1024+1)), 'DECOMPRESSED_TOO_LARGE', 'RECORD_TOO_LARGE',
    note='~65 KB that expands to 65 MiB+1 of NUL bytes, beyond the 64 MiB decompressed cap; as a file, the framer stops storing at the 8 MiB record cap')
add('gzip-nested-4.bin', gz(gz(gz(gz(j(inv(nx())))))), 'DECOMPRESSED_TOO_LARGE', 'skip', note='4 nested gzip layers (3 accepted); as a file the bytes after the first layer are binary and framed arbitrarily')
add('gzip-empty.bin', gz(b''), 'INVALID_JSON', 'none', note='valid gzip of nothing (decoder: empty JSON); as a file: no record at all')
# --- encoding / syntax
b=j(inv(nx(),modelId='amazon.nova-micro-v1:0XX')).replace(b'0XX',b'0\xff'); add('invalid-utf8-byte.json', b, 'INVALID_UTF8', note='0xFF inside a string')
b=j(inv(nx(),modelId='amazon.nova-micro-v1:0XX')).replace(b'0XX',b'\xc0\xaf'); add('invalid-utf8-overlong.json', b, 'INVALID_UTF8', note='overlong 2-byte encoding of / inside modelId (Jackson alone would decode it to a garbled modelId)')
b=j(inv(nx(),modelId='amazon.nova-micro-v1:0XX')).replace(b'0XX',b'\xe2\x82'); add('invalid-utf8-truncated-sequence.json', b, 'INVALID_UTF8', note='3-byte sequence cut after 2 bytes')
b=j(inv(nx(),region='XX')).replace(b'XX',b'\x80abc'); add('invalid-utf8-continuation.json', b, 'INVALID_UTF8', note='lone continuation byte')
b=j(inv(nx())); add('truncated-json.json', b[:len(b)//2], 'INVALID_JSON', note='record cut in half')
add('trailing-garbage.json', j(inv(nx()))+b' garbage', 'INVALID_JSON', note='a valid record followed by garbage on the same line')
add('not-json.txt', b'this is not json at all', 'INVALID_JSON')
add('single-quotes.json', j(inv(nx())).replace(b'"',b"'"), 'INVALID_JSON')
add('nan-token-count.json', j(inv(nx(),input={"inputTokenCount":12345})).replace(b'12345',b'NaN'), 'INVALID_JSON', note='NaN is not JSON')
b=j(inv(nx(),operation='AXB')).replace(b'AXB',b'A\x01B'); add('raw-control-char.json', b, 'INVALID_JSON', note='unescaped control character in a string')
add('bad-escape.json', j(inv(nx(),operation='AXB')).replace(b'AXB',b'A\\qB'), 'INVALID_JSON', note='\\q is not a JSON escape')
add('missing-comma.json', j(inv(nx())).replace(b',"region"',b' "region"'), 'INVALID_JSON')
add('unclosed-string.json', b'{"schemaType":"ModelInvocationLog","requestId":"abc', 'INVALID_JSON')
add('number-too-long.json', j(inv(nx(),output={"outputTokenCount":7})).replace(b':7}',b':'+b'9'*1500+b'}'), 'INVALID_JSON', note='1500-digit number: beyond the parser number-length limit')
# --- shape
add('empty-object.json', b'{}', 'UNKNOWN_SHAPE')
add('root-string.json', b'"just a string"', 'UNKNOWN_SHAPE')
add('root-null.json', b'null', 'UNKNOWN_SHAPE')
add('root-number.json', b'42', 'UNKNOWN_SHAPE')
add('other-schema-type.json', j({"schemaType":"SomethingElse","foo":1}), 'UNKNOWN_SHAPE')
add('unrelated-object.json', j({"hello":"world","n":[1,2,3]}), 'UNKNOWN_SHAPE')
# --- nesting
add('deeply-nested-body-arrays.json', j(inv(nx(),input={"inputTokenCount":1,"inputBodyJson":"X"})).replace(b'"X"',b'['*1000+b']'*1000), 'TOO_DEEPLY_NESTED', note='1000 nested arrays inside a body')
add('deeply-nested-objects.json', j(inv(nx(),output={"outputTokenCount":1,"outputBodyJson":"X"})).replace(b'"X"',b'{"a":'*200+b'1'+b'}'*200), 'TOO_DEEPLY_NESTED')
add('nested-open-brackets-only.json', b'['*20000, 'TOO_DEEPLY_NESTED', note='20000 opening brackets, never closed')
# --- numbers / token counts
def tok(where, field, val, **kw):
    r=inv(nx(), **kw)
    r[where]=dict(r[where]); r[where][field]='__V__'
    return j(r).replace(b'"__V__"', val)
add('huge-integer-tokens.json', tok('input','inputTokenCount', b'1'+b'0'*400), 'ABSURD_TOKEN_COUNT', note='401-digit integer')
add('long-overflow-tokens.json', tok('output','outputTokenCount', b'9223372036854775808'), 'ABSURD_TOKEN_COUNT', note='Long.MAX_VALUE + 1')
add('long-underflow-tokens.json', tok('output','outputTokenCount', b'-9223372036854775809'), 'NEGATIVE_TOKEN_COUNT', note='Long.MIN_VALUE - 1')
add('absurd-tokens.json', tok('input','inputTokenCount', b'100000001'), 'ABSURD_TOKEN_COUNT', note='just above the 100M plausibility cap')
add('negative-input-tokens.json', tok('input','inputTokenCount', b'-1'), 'NEGATIVE_TOKEN_COUNT')
add('negative-output-tokens.json', tok('output','outputTokenCount', b'-500'), 'NEGATIVE_TOKEN_COUNT')
add('negative-cache-read.json', tok('input','cacheReadInputTokenCount', b'-7'), 'NEGATIVE_TOKEN_COUNT')
add('negative-cache-write.json', tok('input','cacheWriteInputTokenCount', b'-2147483648'), 'NEGATIVE_TOKEN_COUNT')
add('string-overflow-tokens.json', tok('input','inputTokenCount', b'"99999999999999999999"'), 'ABSURD_TOKEN_COUNT')
add('string-negative-tokens.json', tok('input','inputTokenCount', b'"-5"'), 'NEGATIVE_TOKEN_COUNT')
add('string-nonnumeric-tokens.json', tok('input','inputTokenCount', b'"twelve"'), 'WRONG_TYPE')
add('float-tokens.json', tok('output','outputTokenCount', b'12.5'), 'WRONG_TYPE')
add('huge-float-tokens.json', tok('output','outputTokenCount', b'1e999'), 'WRONG_TYPE', note='overflows a double')
add('boolean-tokens.json', tok('input','inputTokenCount', b'true'), 'WRONG_TYPE')
add('object-tokens.json', tok('input','inputTokenCount', b'{"n":1}'), 'WRONG_TYPE')
add('array-tokens.json', tok('output','outputTokenCount', b'[1,2]'), 'WRONG_TYPE')
r=inv(nx(), input={"inputTokenCount":10,"cacheWriteInputTokenCount":100},
      output={"outputTokenCount":5,"outputBodyJson":{"usage":{"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":200}}}})
add('inconsistent-cache-split.json', j(r), 'INCONSISTENT_CACHE_SPLIT', note='1h cache writes in the body exceed cacheWriteInputTokenCount')
# --- wrong types / missing fields
add('requestId-number.json', j(inv(nx(), requestId=12345)), 'WRONG_TYPE')
add('identity-string.json', j(inv(nx(), identity="arn:aws:iam::111122223333:user/x")), 'WRONG_TYPE')
add('input-array.json', j(inv(nx(), input=[1,2])), 'WRONG_TYPE')
add('timestamp-number.json', j(inv(nx(), timestamp=1772442000)), 'WRONG_TYPE')
add('modelId-object.json', j(inv(nx(), modelId={"id":"x"})), 'WRONG_TYPE')
add('serviceTier-array.json', j(inv(nx(), serviceTier=["priority"])), 'WRONG_TYPE')
add('missing-requestId.json', j(inv(nx(), requestId=DEL)), 'MISSING_REQUEST_ID')
add('empty-requestId.json', j(inv(nx(), requestId="")), 'MISSING_REQUEST_ID')
add('null-requestId.json', j(inv(nx(), requestId=None)), 'MISSING_REQUEST_ID')
add('missing-timestamp.json', j(inv(nx(), timestamp=DEL)), 'MISSING_TIMESTAMP')
add('bad-timestamp.json', j(inv(nx(), timestamp="yesterday")), 'BAD_TIMESTAMP')
add('timestamp-without-zone.json', j(inv(nx(), timestamp="2026-03-02T09:00:00")), 'BAD_TIMESTAMP')
add('timestamp-implausible.json', j(inv(nx(), timestamp="1970-01-01T00:00:00Z")), 'BAD_TIMESTAMP')
add('unknown-schemaVersion.json', j(inv(nx(), schemaVersion="2.0")), 'UNKNOWN_SCHEMA_VERSION')
add('schemaVersion-number.json', j(inv(nx(), schemaVersion=3)), 'UNKNOWN_SCHEMA_VERSION')
# --- CloudTrail
add('trail-readOnly-string.json', j(trail(nx(), readOnly="true")), 'TRAIL', note='readOnly as a string is accepted (re-serialised events): NOT a dead letter')
add('trail-readOnly-object.json', j(trail(nx(), readOnly={"v":True})), 'WRONG_TYPE')
add('trail-missing-eventTime.json', j(trail(nx(), eventTime=DEL)), 'MISSING_EVENT_FIELDS')
add('trail-missing-eventSource.json', j(trail(nx(), eventSource=DEL)), 'MISSING_EVENT_FIELDS')
add('trail-bad-eventTime.json', j(trail(nx(), eventTime="not a time")), 'BAD_TIMESTAMP')
add('trail-userIdentity-string.json', j(trail(nx(), userIdentity="root")), 'WRONG_TYPE')
add('trail-eventName-number.json', j(trail(nx(), eventName=7)), 'MISSING_EVENT_FIELDS', note='eventName of the wrong type counts as missing (checked before field types)')
add('trail-irrelevant-event.json', j(trail(nx(), eventSource="s3.amazonaws.com", eventName="GetObject")), 'SKIPPED', note='an event this job does not use: skipped and counted, not a dead letter')
st=trail(nx(), eventSource="sts.amazonaws.com", eventName="AssumeRole", requestParameters={"roleArn":"arn:aws:iam::111122223333:role/r","roleSessionName":"s","tags":"team=x"})
add('sts-tags-not-array.json', j(st), 'WRONG_TYPE')
add('eventbridge-no-detail.json', j({"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.bedrock","account":"111122223333","time":"2026-03-02T09:00:00Z","region":"us-east-1","resources":[]}), 'EVENTBRIDGE_WITHOUT_DETAIL')
add('eventbridge-detail-string.json', j({"version":"0","id":"2","detail-type":"AWS API Call via CloudTrail","source":"aws.bedrock","detail":"{}"}), 'EVENTBRIDGE_WITHOUT_DETAIL')
add('eventbridge-detail-null.json', j({"version":"0","id":"3","detail-type":"AWS API Call via CloudTrail","source":"aws.bedrock","detail":None}), 'EVENTBRIDGE_WITHOUT_DETAIL')
add('s3-records-not-array.json', j({"Records":5}), 'WRONG_TYPE')
add('cwl-logEvents-object.json', j({"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"g","logStream":"s","subscriptionFilters":["f"],"logEvents":{}}), 'WRONG_TYPE')
add('cwl-message-not-string.json', j({"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":5}]}), 'WRONG_TYPE')
add('cwl-unknown-messageType.json', j({"messageType":"SURPRISE","logEvents":[{"id":"1","timestamp":1,"message":"{}"}]}), 'UNKNOWN_SHAPE')
add('cwl-empty-logEvents.json', j({"messageType":"DATA_MESSAGE","logEvents":[]}), 'UNKNOWN_SHAPE')
add('cwl-message-invalid-json.json', j({"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"{broken"}]}), 'INVALID_JSON')
add('cwl-control-message.json', j({"messageType":"CONTROL_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination"}]}), 'SKIPPED', note='health check: skipped, not a dead letter')
add('cwl-gzip-message-bad-record.json.bin', gz(j({"messageType":"DATA_MESSAGE","logEvents":[{"id":"9","timestamp":1,"message":json.dumps(inv(nx(),timestamp="soon"))}]})), 'BAD_TIMESTAMP', note='gzip CloudWatch Logs payload whose one message has a bad timestamp')
# --- UTF-8 that Jackson alone lets through (strict RFC 3629 check on every byte the decoder reads)
b=j(inv(nx(),modelId='amazon.nova-micro-v1:0XX')).replace(b'0XX',b'\xed\xa0\x80'); add('invalid-utf8-surrogate.json', b, 'INVALID_UTF8', note='UTF-16 surrogate D800 encoded as UTF-8 inside modelId')
b=j(inv(nx(),modelId='amazon.nova-micro-v1:0XX')).replace(b'0XX',b'\xf5\x80\x80\x80'); add('invalid-utf8-f5-lead.json', b, 'INVALID_UTF8', note='F5 lead byte (beyond U+10FFFF) inside modelId')
b=j(inv(nx(),modelId='amazon.nova-micro-v1:0XX')).replace(b'0XX',b'\xe0\x80\xaf'); add('invalid-utf8-overlong-3byte.json', b, 'INVALID_UTF8', note='overlong 3-byte encoding of / inside modelId')
b=j(trail(nx(),awsRegion='us-east-XX')).replace(b'XX',b'\xc1\xb1'); add('trail-invalid-utf8-overlong.json', b, 'INVALID_UTF8', note='overlong 2-byte encoding of q inside a CloudTrail awsRegion')
b=j(inv(nx(),input={"inputContentType":"application/json","inputTokenCount":100,"inputBodyJson":{"messages":[{"content":"hiXX"}]}})).replace(b'hiXX',b'hi\xc0\xaf'); add('invalid-utf8-overlong-in-body.json', b, 'INVALID_UTF8', note='overlong sequence inside a prompt body: the body is scanned (never copied) and the record rejected')
# --- CloudTrail deliveries with faults the framer reports itself (it streams a delivery event by event)
add('s3-records-content-after-array.json', b'{"Records":[],"extra":{"x":[1,"}"]}}', 'none', replay='UNKNOWN_SHAPE', note='valid JSON, but a delivery is only {"Records":[...]}: the decoder ignores the extra key; replay reports it for the file')
add('s3-records-cut-short.json', b'{"Records":[', 'INVALID_JSON', note='delivery cut off right after its opening: one dead letter for the file')
with open(os.path.join(D,'MANIFEST.tsv'),'w') as f:
    f.write('# file\tdecoder outcome\treplay outcome\tnote\n')
    f.write('# outcome: a DeadLetterReason (one dead letter with that reason), or CALL / TRAIL / SKIPPED (documented non-dead-letter outcomes),\n')
    f.write('# "none" (nothing at all), "skip" (not used in the replay run). Replay = the file read by `replay` (framing included).\n')
    for m in man: f.write('\t'.join(m)+'\n')
print(len(man))
