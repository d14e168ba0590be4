package io.bedrockspend.reconcile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Explains each key's difference. Credits and discounts are their own component; the usage
 * difference (billed usage − estimate) goes to the first class that applies:
 * <ol>
 *   <li>{@code not_final}: the bucket is inside the CUR delay;
 *   <li>CUR only: {@code identity} when the same bucket/account/usage type has ledger spend on an
 *       unknown or partially attributed principal (or CUR has no principal); {@code not_token_usage} for
 *       non-token usage types; {@code unseen_by_live} for bedrock-mantle, batch, or a region the ledger
 *       never saw; else {@code billed_not_estimated};
 *   <li>ledger only: {@code identity} (same pairing) or {@code estimated_not_billed};
 *   <li>both: {@code unpriced_model} when calls were unpriced; else split exactly into
 *       {@code usage_mismatch} (token difference at the estimated rate, rounded to 10 places) and
 *       {@code price_drift} (the rest: the rate differs — the snapshot needs the billed rate).
 * </ol>
 * Each key is classified alone, inside the reconcile job; unmatched keys also see a summary of
 * their cell ({@link Cell}) and the set of regions the ledger has calls in.
 * Tolerance: a key breaks it when its usage difference exceeds both the absolute and the relative
 * tolerance and its class is not credits, not-final or non-token usage.
 */
public final class Classifier {
    public static final String MATCH = "match";
    public static final String PRICE_DRIFT = "price_drift";
    public static final String USAGE_MISMATCH = "usage_mismatch";
    public static final String UNPRICED = "unpriced_model";
    public static final String IDENTITY = "identity";
    public static final String UNSEEN = "unseen_by_live";
    public static final String BILLED_NOT_ESTIMATED = "billed_not_estimated";
    public static final String ESTIMATED_NOT_BILLED = "estimated_not_billed";
    public static final String DISCOUNT = "discount_credit";
    public static final String NOT_FINAL = "not_final";
    public static final String NOT_TOKEN = "not_token_usage";

    public static final List<String> CLASSES = List.of(PRICE_DRIFT, USAGE_MISMATCH, UNPRICED, IDENTITY, UNSEEN,
            BILLED_NOT_ESTIMATED, ESTIMATED_NOT_BILLED, DISCOUNT, NOT_FINAL, NOT_TOKEN);
    /** Classes that never fail the tolerance: expected (list price vs negotiated) or not yet knowable. */
    public static final Set<String> EXEMPT = Set.of(MATCH, DISCOUNT, NOT_FINAL, NOT_TOKEN);

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Tolerance: absolute USD and relative percent (of the larger side). */
    public record Tolerance(BigDecimal absUsd, BigDecimal relPct) implements java.io.Serializable {}

    private Classifier() {}

    /**
     * What identity pairing needs from the other keys of one (bucket, account, usage type) cell: only
     * unmatched keys pair, so matched keys never need it.
     *
     * @param curOnlyBilled a CUR-only key with billed usage
     * @param curOnlyBilledNoPrincipal such a key billed with no principal
     * @param ledgerOnly a ledger-only key
     * @param ledgerOnlyWeak such a key on an empty, unattributed or partially attributed principal
     */
    public record Cell(boolean curOnlyBilled, boolean curOnlyBilledNoPrincipal, boolean ledgerOnly, boolean ledgerOnlyWeak) {
        public static Cell of(Iterable<KeyResult> keys) {
            boolean cb = false, cbn = false, lo = false, low = false;
            for (KeyResult k : keys) {
                if (k.hasCur() && !k.hasLedger() && k.billedUsage.signum() != 0) {
                    cb = true;
                    cbn |= k.principal.isEmpty();
                } else if (k.hasLedger() && !k.hasCur()) {
                    lo = true;
                    low |= weak(k);
                }
            }
            return new Cell(cb, cbn, lo, low);
        }
    }

    /** The cell a key pairs in. */
    public static String cellKey(KeyResult k) {
        return k.bucket + "\u0001" + k.account + "\u0001" + k.usageType;
    }

    /**
     * Classifies one key. {@code cell} and {@code ledgerRegions} (regions of every key with ledger
     * calls) matter only for unmatched keys; matched keys may pass null and an empty set.
     */
    public static ReconRow classify(KeyResult k, Cell cell, Set<String> ledgerRegions, Finality fin, Tolerance tol) {
        ReconRow r = new ReconRow(k);
        r.usageDifference = k.billedUsage.subtract(k.estimate);
        r.difference = r.usageDifference.add(k.adjustments);
        r.insideDelay = fin.insideDelay(k.bucket);
        r.isFinal = fin.isFinal(k.bucket, k.period);
        r.team = k.ledgerTeam != null ? k.ledgerTeam : k.curTeam != null ? k.curTeam : "unattributed";
        if (k.estTokens > 0) r.estimatedRatePerM = k.estimate.multiply(MILLION).divide(BigDecimal.valueOf(k.estTokens), 6, RoundingMode.HALF_EVEN);
        if (k.billedTokens.signum() > 0) r.billedRatePerM = k.billedUsage.multiply(MILLION).divide(k.billedTokens, 6, RoundingMode.HALF_EVEN);

        r.add(r.insideDelay ? NOT_FINAL : DISCOUNT, k.adjustments);
        String usageClass;
        if (r.insideDelay) {
            usageClass = NOT_FINAL;
            r.reason = "inside the CUR delay: billed rows may still arrive";
            r.add(NOT_FINAL, r.usageDifference);
        } else if (!k.hasLedger()) {
            usageClass = curOnly(r, cell, ledgerRegions);
            r.add(usageClass, r.usageDifference);
        } else if (!k.hasCur()) {
            boolean identity = cell != null && cell.curOnlyBilled() && (weak(k) || cell.curOnlyBilledNoPrincipal());
            usageClass = identity ? IDENTITY : ESTIMATED_NOT_BILLED;
            r.reason = identity ? "estimated on an unattributed/partial principal; billed to another"
                    : k.usageType.startsWith("(no usage type)") ? "the snapshot knows no CUR usage type for this cost"
                    : "estimated, but no billed row for this principal and usage type";
            r.add(usageClass, r.usageDifference);
        } else if (k.unpricedCalls > 0) {
            usageClass = UNPRICED;
            r.reason = k.unpricedCalls + " unpriced call(s) of " + k.model + ": add the model to the pricing snapshot";
            r.add(UNPRICED, r.usageDifference);
        } else {
            BigDecimal tokenPart = BigDecimal.ZERO;
            BigDecimal est = BigDecimal.valueOf(k.estTokens);
            if (k.estTokens > 0 && k.billedTokens.compareTo(est) != 0) {
                tokenPart = k.estimate.multiply(k.billedTokens.subtract(est)).divide(est, 10, RoundingMode.HALF_EVEN);
            } else if (k.estTokens == 0) {
                tokenPart = r.usageDifference;
            }
            BigDecimal pricePart = r.usageDifference.subtract(tokenPart);
            r.add(USAGE_MISMATCH, tokenPart);
            r.add(PRICE_DRIFT, pricePart);
            usageClass = pricePart.abs().compareTo(tokenPart.abs()) >= 0 ? PRICE_DRIFT : USAGE_MISMATCH;
            if (r.usageDifference.signum() != 0) {
                r.reason = usageClass.equals(PRICE_DRIFT)
                        ? "rate " + plain(r.estimatedRatePerM) + " in " + k.snapshotId + " vs billed " + plain(r.billedRatePerM) + " per 1M tokens"
                        : "billed " + plain(k.billedTokens) + " tokens vs " + k.estTokens + " estimated";
            }
        }
        // the row's class: the largest component, "match" when nothing differs
        String best = MATCH;
        BigDecimal bestAbs = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : r.components.entrySet()) {
            if (e.getValue().abs().compareTo(bestAbs) > 0) { best = e.getKey(); bestAbs = e.getValue().abs(); }
        }
        r.cls = best;
        if (best.equals(DISCOUNT) && r.reason.isEmpty()) r.reason = "line items " + k.lineItemTypes;
        if (!EXEMPT.contains(usageClass) && r.usageDifference.signum() != 0) {
            BigDecimal abs = r.usageDifference.abs();
            BigDecimal base = k.billedUsage.abs().max(k.estimate.abs());
            boolean overAbs = abs.compareTo(tol.absUsd()) > 0;
            boolean overRel = abs.multiply(BigDecimal.valueOf(100)).compareTo(tol.relPct().multiply(base)) > 0;
            r.breach = overAbs && overRel;
        }
        return r;
    }

    private static String curOnly(ReconRow r, Cell cell, Set<String> ledgerRegions) {
        KeyResult k = r.k;
        if (k.billedUsage.signum() == 0 && k.billedTokens.signum() == 0) {
            r.reason = k.adjustments.signum() != 0 ? "line items " + k.lineItemTypes : "";
            return DISCOUNT; // adjustments or tax only: no usage component
        }
        boolean identity = k.billedUsage.signum() != 0 && cell != null && cell.ledgerOnly()
                && (cell.ledgerOnlyWeak() || k.principal.isEmpty());
        if (identity || k.principal.isEmpty()) {
            r.reason = k.principal.isEmpty() ? "billed with no IAM principal" : "billed to a principal the ledger did not attribute";
            return IDENTITY;
        }
        UsageType u = r.parsed();
        if (u == null) {
            r.reason = "not a per-token usage type (reserved, provisioned, image, customization, ...): reported, not reconciled";
            return NOT_TOKEN;
        }
        if (u.isMantle()) { r.reason = "bedrock-mantle usage: not in invocation logs"; return UNSEEN; }
        if (u.isBatch()) { r.reason = "batch inference: not in invocation logs"; return UNSEEN; }
        if (u.region() != null && !ledgerRegions.contains(u.region())) {
            r.reason = "region " + u.region() + " has no invocation logging in the ledger";
            return UNSEEN;
        }
        r.reason = "billed, but no ledger call for this principal and usage type";
        return BILLED_NOT_ESTIMATED;
    }

    /** Ledger spend on a principal identity cannot vouch for: none, unattributed or partial. */
    private static boolean weak(KeyResult led) {
        return led.principal.isEmpty() || led.unattributedCalls > 0 || led.partialCalls > 0;
    }

    static String plain(BigDecimal d) {
        return d == null ? "n/a" : d.stripTrailingZeros().toPlainString();
    }
}
