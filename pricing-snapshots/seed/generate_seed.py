#!/usr/bin/env python3
"""Regenerate pricing-snapshots/2026-11-23-reference.json from seed/bedrock-prices.csv.

    python3 pricing-snapshots/seed/generate_seed.py [--check]

The CSV is a copy of the research table (shared/reference/bedrock-prices.csv, 112 rows). Rules
(documented in docs/pricing-snapshots.md):
  * `global.X` rows -> routingClass global, regionScope `*`.
  * `us.X` / `eu.X` / ... rows and base `X` rows -> routingClass regional (one regional SKU for
    in-region ids and geo profiles); scope from the CSV region: us-east-1 -> `us` (US commercial
    regions share the price), us-gov-west-1 -> `us-gov`, "eu (geo profile)" -> `eu`, ...
  * identical base and `us.` rows collapse into one entry; their sources are kept.
  * dated changes come from the notes (effective until/from, PROMO/STANDARD, HISTORICAL) and from
    CURATED below for changes given only in prose, each with the date chosen and why.
  * batch_discount -> a batch entry at discount x input/output; `*_above_200k` -> a long entry.
With --check the script fails if the committed JSON differs from what it would write.
"""
import csv
import json
import re
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "bedrock-prices.csv"
OUT_PATH = HERE.parent / "2026-11-23-reference.json"

PROFILE_PREFIXES = {"global", "us", "eu", "apac", "jp", "au", "us-gov", "ca"}
REGION_SCOPE = {
    "us-east-1": "us",
    "us-gov-west-1": "us-gov",
    "eu (geo profile)": "eu",
    "apac (geo profile)": "apac",
    "unspecified": "us",
}
KINDS = ["input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h"]
DATE = r"(\d{4}-\d{2}-\d{2})"


def d(s):
    return Decimal(s) if s not in (None, "") else None


def day_after(s):
    return (date.fromisoformat(s) + timedelta(days=1)).isoformat()


def fmt(x):
    s = format(x.normalize(), "f")
    return s


# --- curated facts that the CSV states only in prose -------------------------------------------

SONNET_46 = "anthropic.claude-sonnet-4-6"
OPUS_46 = "anthropic.claude-opus-4-6-v1"
TIER_REMOVED = "2026-03-27"
TIER_REMOVED_NOTE = ("end date 2026-03-27 = first source showing the >200K tier removed (LiteLLM "
                     "2026-03-27; genai-prices only 2026-07-06); the AWS date is unknown and may be earlier")

# Start of the current price for rows whose earlier price is in the notes: base -> (date, why).
CURRENT_FROM = {
    "anthropic.claude-3-5-haiku-20241022-v1:0": (
        "2024-12-01", "cut date assumed 2024-12-01: sources say only '~Dec 2024, about a month after the "
                      "2024-11-04 launch'; exact day unknown"),
    "meta.llama3-1-70b-instruct-v1:0": (
        "2024-12-02", "cut between 2024-12-01 (FMBench still 0.99) and 2024-12-09 (FMBench 0.72); "
                      "2024-12-02 = first day not contradicted by evidence (re:Invent 2024)"),
    "meta.llama3-2-11b-instruct-v1:0": (
        "2024-12-02", "cut between 2024-12-01 and 2024-12-09 (FMBench); 2024-12-02 chosen"),
    "meta.llama3-2-90b-instruct-v1:0": (
        "2024-12-02", "cut between 2024-12-01 and 2024-12-09 (FMBench); 2024-12-02 chosen"),
    "meta.llama3-1-405b-instruct-v1:0": (
        "2025-01-16", "cut between 2025-01-15 (FMBench still 5.32/16.00) and 2025-07-20 (AWS page 2.40); "
                      "2025-01-16 = first day not contradicted by evidence; wide uncertainty"),
}

# Earlier prices given only in notes: (base, scope, from, to, rates, sources, notes).
EARLIER_PRICES = [
    ("anthropic.claude-3-5-haiku-20241022-v1:0", "us", "2024-11-04", "2024-12-01",
     {"input": "1.00", "output": "5.00"}, ["simonw-llm-claude-3#23"],
     "launch price 2024-11-04 (simonw/llm-claude-3#23); end assumed 2024-12-01 (~Dec 2024 cut, day unknown); "
     "no cache rates known for this period"),
    ("meta.llama3-1-70b-instruct-v1:0", "us", None, "2024-12-02",
     {"input": "0.99", "output": "0.99"}, ["fmbench"], "launch price until the Dec 2024 cut (FMBench b98772e8, 2024-12-01)"),
    ("meta.llama3-2-11b-instruct-v1:0", "us", None, "2024-12-02",
     {"input": "0.35", "output": "0.35"}, ["fmbench"], "price until the Dec 2024 cut (FMBench to 2024-12-01)"),
    ("meta.llama3-2-90b-instruct-v1:0", "us", None, "2024-12-02",
     {"input": "2.00", "output": "2.00"}, ["fmbench"], "price until the Dec 2024 cut (FMBench to 2024-12-01)"),
    ("meta.llama3-1-405b-instruct-v1:0", "us", None, "2025-01-16",
     {"input": "5.32", "output": "16.00"}, ["fmbench", "litellm"],
     "earlier price (LiteLLM, FMBench up to 2025-01-15); end date 2025-01-16 chosen, see current entry"),
]

# Latency-optimized prices given only in notes: base -> (rates, note).
LATENCY_OPTIMIZED = {
    "meta.llama3-1-70b-instruct-v1:0": ({"input": "0.90", "output": "0.90"}, "latency-optimized 0.90/0.90 (AWS page 2025-07)"),
    "meta.llama3-1-405b-instruct-v1:0": ({"input": "3.00", "output": "3.00"}, "latency-optimized 3.00/3.00 (AWS page 2025-07)"),
}

# Long-band cache (and batch) rates given in notes: (base, routing, scope, period-from) -> dict.
LONG_EXTRAS = {
    ("anthropic.claude-sonnet-4-20250514-v1:0", "regional", "us", None): {"cacheRead": "0.6", "cacheWrite5m": "7.5"},
    ("anthropic.claude-sonnet-4-20250514-v1:0", "global", "*", None): {"cacheRead": "0.6", "cacheWrite5m": "7.5"},
    ("anthropic.claude-sonnet-4-5-20250929-v1:0", "regional", "us", None):
        {"cacheRead": "0.66", "cacheWrite5m": "8.25", "cacheWrite1h": "13.2"},
    ("anthropic.claude-sonnet-4-5-20250929-v1:0", "global", "*", None):
        {"cacheRead": "0.6", "cacheWrite5m": "7.5", "cacheWrite1h": "12.0", "batch": ("3.0", "11.25")},
    (OPUS_46, "global", "*", "2026-02-05"):
        {"cacheRead": "1.0", "cacheWrite5m": "12.5", "cacheWrite1h": "20", "batch": ("5", "18.75")},
    (OPUS_46, "regional", "us", "2026-02-05"): {"cacheRead": "1.10", "cacheWrite5m": "13.75"},
}

# HISTORICAL rows (launch tier later removed): base -> (from, to, note).
HISTORICAL = {
    OPUS_46: ("2026-02-05", TIER_REMOVED, "launch 2026-02-05 (pricing.md §8); " + TIER_REMOVED_NOTE),
}

# Long tiers recorded only in notes of the current rows.
EXTRA_LONG = [
    (SONNET_46, "regional", "us", "2026-02-17", TIER_REMOVED,
     {"input": "6.6", "output": "24.75", "cacheRead": "0.66", "cacheWrite5m": "8.25"},
     ["genai-prices@8edddec8", "litellm"],
     "launch >200K tier (notes of the current row; launch 2026-02-17 per pricing.md §8); " + TIER_REMOVED_NOTE),
    (SONNET_46, "global", "*", "2026-02-17", TIER_REMOVED,
     {"input": "6", "output": "22.5"}, ["genai-prices@8edddec8", "litellm"],
     "launch >200K tier 6/22.5 (notes); no long-band cache rates given; " + TIER_REMOVED_NOTE),
]

# Other models / regions whose prices appear only in a row's notes: (base, scope, rates, sources, note).
NOTE_PRICES = [
    ("mistral.ministral-3-3b-instruct", "us", {"input": "0.10", "output": "0.10"}, ["genai-prices", "litellm"],
     "from the notes of mistral.ministral-3-8b-instruct ('3b 0.10/0.10')"),
    ("mistral.ministral-3-14b-instruct", "us", {"input": "0.20", "output": "0.20"}, ["genai-prices", "litellm"],
     "from the notes of mistral.ministral-3-8b-instruct ('14b 0.20/0.20')"),
    ("meta.llama3-70b-instruct-v1:0", "eu-west-1", {"input": "2.86", "output": "3.78"}, ["litellm"],
     "region price from the row's notes (LiteLLM region key)"),
    ("meta.llama3-70b-instruct-v1:0", "ap-south-1", {"input": "3.18", "output": "4.2"}, ["litellm"],
     "region price from the row's notes (LiteLLM region key)"),
    ("deepseek.v3.2", "eu", {"input": "0.74", "output": "2.22"}, ["litellm"], "notes: other regions (eu./ap-*/sa-east-1) 0.74/2.22"),
    ("deepseek.v3.2", "apac", {"input": "0.74", "output": "2.22"}, ["litellm"], "notes: other regions (eu./ap-*/sa-east-1) 0.74/2.22"),
    ("deepseek.v3.2", "sa-east-1", {"input": "0.74", "output": "2.22"}, ["litellm"], "notes: other regions (eu./ap-*/sa-east-1) 0.74/2.22"),
    ("openai.gpt-oss-120b-1:0", "ap-south-1", {"input": "0.18"}, ["pricelist-fixtures"],
     "notes: ap-south-1 input 0.18 per fixture; output rate not known there"),
    ("openai.gpt-oss-20b-1:0", "ap-south-1", {"input": "0.08"}, ["pricelist-fixtures"],
     "notes: ap-south-1 input 0.08 per fixture; output rate not known there"),
    ("amazon.nova-2-pro-preview-20251202-v1:0", "eu", {"input": "2.1875", "output": "17.5", "cacheRead": "0.546875"},
     ["litellm"], "notes: same value for us./eu./apac. keys (LiteLLM only)"),
    ("amazon.nova-2-pro-preview-20251202-v1:0", "apac", {"input": "2.1875", "output": "17.5", "cacheRead": "0.546875"},
     ["litellm"], "notes: same value for us./eu./apac. keys (LiteLLM only)"),
] + [
    ("amazon.nova-2-lite-v1:0", geo, {"input": "0.33", "output": "2.75", "cacheRead": "0.0825"}, ["genai-prices", "litellm"],
     "notes: geo (us./eu./jp./apac.) = global x1.1") for geo in ("eu", "jp", "apac")
]

# Sonnet 5 `us.` promo row says only 'to 2026-08-31'; start taken from the global promo row.
PROMO_START = "2026-06-30"

# --- CUR usage-type templates (only shapes evidenced in pricing.md §7 / formats.md §6.1, §7) -----

MARKETPLACE_CAMEL = {
    "anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0", "anthropic.claude-opus-4-20250514-v1:0",
    "anthropic.claude-opus-4-1-20250805-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-opus-4-5-20251101-v1:0",
    OPUS_46, SONNET_46,
}
CAMEL_COMPONENT = {"input": "InputTokenCount", "output": "OutputTokenCount",
                   "cacheRead": "CacheReadInputTokenCount", "cacheWrite5m": "CacheWriteInputTokenCount",
                   "cacheWrite1h": "CacheWrite1hInputTokenCount"}
LEGACY_TOKEN = {
    "anthropic.claude-3-haiku-20240307-v1:0": "Claude3Haiku",
    "amazon.nova-micro-v1:0": "NovaMicro", "amazon.nova-lite-v1:0": "NovaLite",
    "amazon.nova-pro-v1:0": "NovaPro", "amazon.nova-premier-v1:0": "NovaPremier",
    "meta.llama3-3-70b-instruct-v1:0": "Llama3-3-70B", "meta.llama3-1-405b-instruct-v1:0": "Llama3-1-405B",
}
LEGACY_KIND = {"input": "input-tokens", "output": "output-tokens", "cacheRead": "cache-read-input-token-count"}
LEGACY_TIER = {"standard": "", "batch": "-batch", "latency-optimized": "-latency-optimized",
               "priority": "-priority", "flex": "-flex"}
MANTLE = {"deepseek.v3.2": "deepseek.v3.2", "openai.gpt-oss-120b-1:0": "openai.gpt-oss-120b"}


def usage_types(model, routing, scope, tier, band, rates):
    if band != "standard" or scope == "us-gov":  # long-band order and GovCloud billing codes unknown
        return None
    out = {}
    if model in MARKETPLACE_CAMEL and tier in ("standard", "batch"):
        suffix = ("_Global" if routing == "global" else "") + ("_Batch" if tier == "batch" else "")
        for k in rates:
            out[k] = "{region}-MP:{region}_" + CAMEL_COMPONENT[k] + suffix + "-Units"
    elif model in LEGACY_TOKEN and routing == "regional":
        for k in rates:
            if k in LEGACY_KIND:
                out[k] = "{region}-" + LEGACY_TOKEN[model] + "-" + LEGACY_KIND[k] + LEGACY_TIER[tier]
    elif model in MANTLE and routing == "regional" and tier == "standard":
        for k in ("input", "output"):
            if k in rates:
                out[k] = "{region}-" + MANTLE[model] + "-mantle-" + k + "-tokens-standard"
    return out or None


# --- row -> entries ----------------------------------------------------------------------------

def split_id(model_id):
    prefix, _, rest = model_id.partition(".")
    if prefix in PROFILE_PREFIXES:
        return prefix, rest
    return None, model_id


def anthropic_aliases(model):
    """-v1 vs -v1:0 spellings of the same Claude id (both appear in logs and price tables)."""
    if not model.startswith("anthropic."):
        return []
    m = re.fullmatch(r"(.*)-v(\d+)(:0)?", model)
    stem, ver = (m.group(1), m.group(2)) if m else (model, "1")
    spellings = [f"{stem}-v{ver}", f"{stem}-v{ver}:0"]
    return [s for s in spellings if s != model]


class Seed:
    def __init__(self):
        self.entries = {}

    def add(self, model, routing, scope, tier, band, rates, frm, to, sources, row_ref, notes,
            threshold=None):
        rates = {k: Decimal(v) if not isinstance(v, Decimal) else v for k, v in rates.items() if v is not None}
        key = (model, routing, scope, tier, band, frm, to)
        e = self.entries.get(key)
        if e is None:
            row_ref = row_ref or "curated in generate_seed.py from CSV notes / pricing.md"
            self.entries[key] = {"rates": rates, "sources": list(sources), "rows": [row_ref],
                                 "notes": [notes] if notes else [], "threshold": threshold}
            return
        if e["rates"] != rates:
            raise SystemExit(f"conflicting rates for {key}: {e['rates']} vs {rates} ({row_ref})")
        for s in sources:
            if s not in e["sources"]:
                e["sources"].append(s)
        if row_ref and row_ref not in e["rows"]:
            e["rows"].append(row_ref)
        if notes and notes not in e["notes"]:
            e["notes"].append(notes)

    def to_json(self):
        out = []
        for key in sorted(self.entries, key=lambda k: tuple("" if x is None else str(x) for x in k)):
            model, routing, scope, tier, band, frm, to = key
            e = self.entries[key]
            j = {"model": model}
            aliases = anthropic_aliases(model)
            if aliases:
                j["aliases"] = aliases
            j.update({"routingClass": routing, "regionScope": scope, "tier": tier, "contextBand": band})
            if band == "long":
                j["longContextThresholdTokens"] = e["threshold"] or 200000
            if frm:
                j["effectiveFrom"] = frm
            if to:
                j["effectiveTo"] = to
            j["ratesPerMillionTokens"] = {k: fmt(e["rates"][k]) for k in KINDS if k in e["rates"]}
            ut = usage_types(model, routing, scope, tier, band, e["rates"])
            if ut:
                j["usageTypes"] = {k: ut[k] for k in KINDS if k in ut}
            j["source"] = e["sources"]
            j["sourceRows"] = e["rows"]
            if e["notes"]:
                j["notes"] = " | ".join(e["notes"])
            out.append(j)
        return out


def row_period(base, notes):
    """(from, to, historical) for a row, from its notes and CURRENT_FROM."""
    if "HISTORICAL tier version" in notes:
        frm, to, _ = HISTORICAL[base]
        return frm, to, True
    m = re.search(r"PROMO effective " + DATE + r"\.\." + DATE, notes)
    if m:
        return m.group(1), day_after(m.group(2)), False
    m = re.search(r"PROMO to " + DATE, notes)
    if m:
        return PROMO_START, day_after(m.group(1)), False
    m = re.search(r"STANDARD (?:effective )?from " + DATE, notes)
    if m:
        return m.group(1), None, False
    m = re.search(r"effective until " + DATE, notes)
    if m:
        return None, day_after(m.group(1)), False
    m = re.search(r"effective from " + DATE, notes)
    if m:
        return m.group(1), None, False
    if base in CURRENT_FROM:
        return CURRENT_FROM[base][0], None, False
    return None, None, False


def row_tier(notes):
    if notes.startswith("LATENCY-OPTIMIZED"):
        return "latency-optimized"
    if notes.startswith("PRIORITY tier"):
        return "priority"
    if notes.startswith("FLEX tier"):
        return "flex"
    return "standard"


def build(rows):
    seed = Seed()
    current_std = {}  # (base, routing, scope) -> standard rates of the undated current row
    historical = []
    for line, r in rows:
        prefix, base = split_id(r["model_id"])
        routing = "global" if prefix == "global" else "regional"
        scope = "*" if routing == "global" else REGION_SCOPE[r["region"]]
        notes = r["notes"]
        ref = f"bedrock-prices.csv:{line} {r['model_id']} @ {r['region']}"
        sources = r["source"].split(";")
        tier = row_tier(notes)
        frm, to, is_hist = row_period(base, notes)
        note = notes
        if base in CURRENT_FROM and frm == CURRENT_FROM[base][0]:
            note = notes + "; " + CURRENT_FROM[base][1]
        if r["region"] == "unspecified":
            note = notes + "; region unspecified in the source, scoped to us (assumption)"
        std = {"input": d(r["input_per_mtok"]), "output": d(r["output_per_mtok"]),
               "cacheRead": d(r["cache_read_per_mtok"]), "cacheWrite5m": d(r["cache_write_5m_per_mtok"]),
               "cacheWrite1h": d(r["cache_write_1h_per_mtok"])}
        std = {k: v for k, v in std.items() if v is not None}
        if is_hist:
            historical.append((line, base, routing, scope, std))
        else:
            seed.add(base, routing, scope, tier, "standard", std, frm, to, sources, ref, note)
            if tier == "standard" and frm is None and to is None:
                current_std[(base, routing, scope)] = std
        batch = d(r["batch_discount"])
        if batch is not None and not is_hist:
            seed.add(base, routing, scope, "batch", "standard",
                     {"input": std["input"] * batch, "output": std["output"] * batch}, frm, to, sources, ref,
                     f"batch = {batch} x on-demand input/output (batch_discount column)")
        long_in, long_out = d(r["input_above_200k_per_mtok"]), d(r["output_above_200k_per_mtok"])
        if long_in is not None or long_out is not None:
            extras = dict(LONG_EXTRAS.get((base, routing, scope, frm), {}))
            long_batch = extras.pop("batch", None)
            lrates = {"input": long_in, "output": long_out, **extras}
            lnote = notes + ("; " + HISTORICAL[base][2] if is_hist else "")
            seed.add(base, routing, scope, "standard", "long", lrates, frm, to, sources, ref, lnote)
            if long_batch:
                seed.add(base, routing, scope, "batch", "long",
                         {"input": long_batch[0], "output": long_batch[1]}, frm, to, sources, ref,
                         ">200K batch rates from notes (AWS page 2026-02)")
    # HISTORICAL rows only add their long band; their standard rates must agree with the current row.
    for line, base, routing, scope, std in historical:
        cur = current_std.get((base, routing, scope))
        if cur is None or any(cur.get(k) != v for k, v in std.items()):
            raise SystemExit(f"line {line}: HISTORICAL row standard rates {std} disagree with current {cur}")
    for base, scope, frm, to, rates, sources, note in EARLIER_PRICES:
        seed.add(base, "regional", scope, "standard", "standard", rates, frm, to, sources, None, note)
    for base, (rates, note) in LATENCY_OPTIMIZED.items():
        seed.add(base, "regional", "us", "latency-optimized", "standard", rates, None, None,
                 ["awspage-2025-07"], None, note)
    for base, routing, scope, frm, to, rates, sources, note in EXTRA_LONG:
        seed.add(base, routing, scope, "standard", "long", rates, frm, to, sources, None, note)
    for base, scope, rates, sources, note in NOTE_PRICES:
        seed.add(base, "regional", scope, "standard", "standard", rates, None, None, sources, None, note)
    # GovCloud Sonnet 4.5 long rates are in that row's notes (us-gov.* profile >200K 7.2/27.0).
    seed.add("anthropic.claude-sonnet-4-5-20250929-v1:0", "regional", "us-gov", "standard", "long",
             {"input": "7.2", "output": "27.0"}, None, None, ["litellm"], None,
             "GovCloud >200K 7.2/27.0 from the row's notes (LiteLLM only); no long-band cache rates")
    return seed


def main():
    with CSV_PATH.open(newline="") as f:
        rows = [(i + 2, r) for i, r in enumerate(csv.DictReader(f))]
    seed = build(rows)
    snapshot = {
        "formatVersion": 1,
        "snapshotId": "2026-11-23-reference",
        "effectiveFrom": "2023-01-01",
        "publishedAt": "2026-11-23",
        "source": "generated by pricing-snapshots/seed/generate_seed.py from bedrock-prices.csv "
                  "(research of 2026-11-22 from third-party captures, not the AWS Price List)",
        "description": "Reference seed. US commercial regions share the us-east-1 price (scope us); "
                       "geo and in-region calls share the regional SKU. Replace with Price List "
                       "snapshots when available.",
        "entries": seed.to_json(),
    }
    text = json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if OUT_PATH.read_text() != text:
            raise SystemExit(f"{OUT_PATH} is stale; rerun {Path(__file__).name}")
        print("up to date")
        return
    OUT_PATH.write_text(text)
    print(f"wrote {OUT_PATH} ({len(snapshot['entries'])} entries from {len(rows)} rows)")


if __name__ == "__main__":
    main()
