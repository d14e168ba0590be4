"""Writes the recorded GetProducts pages used by PriceListFetchTest (run from this folder).

Each page is a GetProducts response in the real JSON 1.1 shape: PriceList is an array of JSON
*strings* (formats.md §7.1). Row values follow the shapes quoted in shared/reference/pricing.md §7
and formats.md §7; SKUs are made up. The server picks the first page by ServiceCode and the next
ones by NextToken (= the page file name).
"""
import hashlib, json

VERSIONS = {"AmazonBedrock": ("20261120093000", "2026-11-20T09:30:00Z"),
            "AmazonBedrockFoundationModels": ("20261118120000", "2026-11-18T12:00:00Z"),
            "AmazonBedrockService": ("20261119000000", "2026-11-19T00:00:00Z")}

def sku(s):
    h = hashlib.sha1(s.encode()).hexdigest().upper()
    return "".join(c if c.isalpha() else "ABCDEFGHIJ"[int(c)] for c in h)[:16]

def row(service, usagetype, usd, unit, attrs=None, desc=None, effective="2026-10-01T00:00:00Z", reserved=False):
    s = sku(service + usagetype + json.dumps(attrs, sort_keys=True))
    a = {"servicecode": service, "regionCode": "us-east-1", "location": "US East (N. Virginia)",
         "locationType": "AWS Region", "usagetype": usagetype}
    a.update(attrs or {})
    a = {k: v for k, v in a.items() if v is not None}
    ver, pub = VERSIONS[service]
    term_code = "JRTCKXETXF"
    dim = {"unit": unit, "endRange": "Inf", "description": desc or ("$%s per %s for %s" % (usd, unit, usagetype)),
           "appliesTo": [], "rateCode": "%s.%s.6YS6EN2CT7" % (s, term_code), "beginRange": "0",
           "pricePerUnit": {"USD": usd}}
    terms = {"OnDemand": {"%s.%s" % (s, term_code): {"priceDimensions": {dim["rateCode"]: dim}, "sku": s,
             "effectiveDate": effective, "offerTermCode": term_code, "termAttributes": {}}}}
    if reserved:
        terms = {"Reserved": {"%s.4NA7Y494T4" % s: {"priceDimensions": {"%s.4NA7Y494T4.2TG2D8R56U" % s: dict(dim, rateCode="%s.4NA7Y494T4.2TG2D8R56U" % s)},
                 "sku": s, "effectiveDate": effective, "offerTermCode": "4NA7Y494T4",
                 "termAttributes": {"LeaseContractLength": "1mo", "PurchaseOption": "No Upfront"}}}}
    doc = {"product": {"productFamily": "Amazon Bedrock" if service != "AmazonBedrockFoundationModels" else "Software",
                       "attributes": a, "sku": s},
           "serviceCode": service, "terms": terms, "version": ver, "publicationDate": pub}
    return json.dumps(doc, separators=(",", ":"))

def page(name, rows, next_token=None):
    body = {"FormatVersion": "aws_v1", "PriceList": rows}
    if next_token:
        body["NextToken"] = next_token
    with open(name + ".json", "w") as f:
        json.dump(body, f, indent=1)
        f.write("\n")

AB = "AmazonBedrock"
def ab(ut, usd, model, feature="On-demand Inference", inference="Input tokens", unit="1K tokens", **kw):
    return row(AB, ut, usd, unit, {"model": model, "provider": "Amazon", "feature": feature,
                                   "inferenceType": inference, **kw.pop("extra", {})}, **kw)

page("AmazonBedrock-page1", [
    ab("USE1-NovaPro-input-tokens", "0.0008000000", "Nova Pro",
       desc="$0.0008 per 1K input tokens for Nova Pro in US East (N. Virginia)"),
    ab("USE1-NovaPro-output-tokens", "0.0032000000", "Nova Pro", inference="Output tokens"),
    # cache rows may carry no inferenceType at all
    ab("USE1-NovaPro-cache-read-input-token-count", "0.0002000000", "Nova Pro", inference=None),
    # the trap: batch SKUs say "Input tokens"; only the usage type (and feature) tell
    ab("USE1-NovaPro-input-tokens-batch", "0.0004000000", "Nova Pro", feature="Batch Inference"),
    ab("USE1-NovaPro-output-tokens-batch", "0.0016000000", "Nova Pro", feature="Batch Inference", inference="Output tokens"),
], next_token="AmazonBedrock-page2")

page("AmazonBedrock-page2", [
    ab("USE1-NovaPro-input-tokens-latency-optimized", "0.0010000000", "Nova Pro Latency Optimized"),
    ab("USE1-NovaPro-input-tokens-priority", "0.0014000000", "Nova Pro", inference="Input tokens priority",
       extra={"service_tier": "priority"}),
    ab("USE1-NovaMicro-Model-Customization-input-tokens", "0.0000100000", "Nova Micro",
       feature="Model Customization", unit="Tokens"),
    # unclassifiable: not a token usage type we know
    ab("USE1-Nova2.0Lite-web-grounding-requests", "25.0000000000", "Nova 2 Lite", inference=None, unit="1K requests"),
    ab("USE1-Llama3-3-70B-input-tokens", "0.0007200000", "Llama 3.3 70B"),
    ab("USE1-openai.gpt-oss-120b-mantle-input-tokens-standard", "0.0001500000", "gpt-oss-120b",
       extra={"service_tier": "standard"}),
    # classic SKU and its mantle twin at the same price: one rate, both SKUs recorded
    ab("USE1-openai.gpt-oss-120b-output-tokens", "0.0006000000", "gpt-oss-120b", inference="Output tokens"),
    ab("USE1-openai.gpt-oss-120b-mantle-output-tokens-standard", "0.0006000000", "gpt-oss-120b",
       inference="Output tokens", extra={"service_tier": "standard"}),
    # a model the alias table does not know: reported as unmapped, never guessed
    ab("USE1-zai.glm5-mantle-input-tokens-standard", "0.0006000000", "GLM 5", extra={"service_tier": "standard"}),
])

FM = "AmazonBedrockFoundationModels"
def fm(ut, usd, name, unit="1M tokens", desc="AWS Marketplace software usage|us-east-1|Token usage", **kw):
    return row(FM, ut, usd, unit, {"servicename": name + " (Amazon Bedrock Edition)", "regionCode": "us-east-1"},
               desc=desc, **kw)

S45 = "Claude Sonnet 4.5"
page("AmazonBedrockFoundationModels-page1", [
    fm("USE1-MP:USE1_InputTokenCount-Units", "3.3000000000", S45, desc="Million Input Tokens Regional"),
    fm("USE1-MP:USE1_InputTokenCount_Global-Units", "3.0000000000", S45, desc="Million Input Tokens Global"),
    fm("USE1-MP:USE1_OutputTokenCount-Units", "16.5000000000", S45),
    fm("USE1-MP:USE1_OutputTokenCount_Global-Units", "15.0000000000", S45),
    fm("USE1-MP:USE1_CacheReadInputTokenCount-Units", "0.3300000000", S45),
    fm("USE1-MP:USE1_CacheWriteInputTokenCount-Units", "4.1250000000", S45, desc="Million Cache Write Input Tokens"),
    fm("USE1-MP:USE1_CacheWrite1hInputTokenCount-Units", "6.6000000000", S45),
    fm("USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units", "6.0000000000", S45),
], next_token="AmazonBedrockFoundationModels-page2")

page("AmazonBedrockFoundationModels-page2", [
    fm("USE1-MP:USE1_InputTokenCount_LongContext-Units", "6.6000000000", S45),
    fm("USE1-MP:USE1_InputTokenCount_Global_LongContext-Units", "6.0000000000", S45),
    fm("USE1-MP:USE1_InputTokenCount_Global_Batch-Units", "1.5000000000", S45, desc="Million Batch Input Tokens"),
    # older Marketplace spelling: unit "Units", the description says million
    fm("USE1-MP:USE1_InputTokenCount_Global-Units", "1.0000000000", "Claude Haiku 4.5", unit="Units",
       desc="Million Input Tokens Global"),
    fm("USE1-MP:USE1_Reserved_1Month_InputTPM_Geo-Units", "0.1980000000", S45, unit="Units",
       desc="Reserved 1 month input TPM, geo", reserved=True),
], next_token="AmazonBedrockFoundationModels-page3")

page("AmazonBedrockFoundationModels-page3", [
    fm("USE1-MP:USE1_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units", "158.4000000000",
       "Claude 3.7 Sonnet", unit="hour", desc="Provisioned throughput 1 month commitment"),
    fm("USE1-MP:USE1_input_tokens_global_standard-Units", "5.0000000000", "Claude Opus 4.7"),
    fm("USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units", "10.0000000000", "Claude Opus 4.7"),
])

BS = "AmazonBedrockService"
def bs(ut, usd, model, **kw):
    return row(BS, ut, usd, "1K tokens", {"model": model, "provider": "Anthropic", "feature": "On-demand Inference",
                                          "inferenceType": "Cross-region global input tokens"}, **kw)

page("AmazonBedrockService-page1", [
    bs("USE1-Claude4Sonnet-input-tokens-cross-region-global", "0.0030000000", "Claude Sonnet 4"),
    bs("USE1-Claude4Sonnet-input-tokens-long-context-cross-region-global", "0.0060000000", "Claude Sonnet 4"),
])
