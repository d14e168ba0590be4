package io.bedrockspend.reconcile;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Sums both sides of one key and, at the end of the key's input (batch mode fires the end-of-time
 * timer per key), emits the {@link KeyResult} and each ledger call's billed share as a
 * {@link Correction} side output. Scales with the number of keys, never materialized in one place.
 */
public final class ReconcileFunction extends KeyedProcessFunction<String, Fact, KeyResult> {
    public static final OutputTag<Correction> CORRECTIONS = new OutputTag<>("corrections") {};
    static final int SHARE_SCALE = 10;

    private final Finality finality;
    private transient ValueState<KeyResult> agg;
    private transient ListState<Correction> parts;

    public ReconcileFunction(Finality finality) {
        this.finality = finality;
    }

    @Override
    public void open(OpenContext ctx) {
        agg = getRuntimeContext().getState(new ValueStateDescriptor<>("agg", KeyResult.class));
        parts = getRuntimeContext().getListState(new ListStateDescriptor<>("calls", Correction.class));
    }

    @Override
    public void processElement(Fact f, Context ctx, Collector<KeyResult> out) throws Exception {
        KeyResult r = agg.value();
        if (r == null) {
            r = new KeyResult();
            r.bucket = f.bucket;
            r.account = f.account;
            r.principal = f.principal;
            r.usageType = f.usageType;
            r.period = f.period;
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        if (f.cur) {
            r.curRows++;
            r.billedUsage = r.billedUsage.add(f.usageCost);
            r.adjustments = r.adjustments.add(f.adjustmentCost);
            r.tax = r.tax.add(f.taxCost);
            r.billedTokens = r.billedTokens.add(f.billedTokens);
            TreeSet<String> types = new TreeSet<>(r.lineItemTypes.isEmpty() ? List.of() : List.of(r.lineItemTypes.split("\\+")));
            types.add(f.lineItemType);
            r.lineItemTypes = String.join("+", types);
            if (r.curPrincipalArn == null && f.rawPrincipal != null) r.curPrincipalArn = f.rawPrincipal;
            if (r.curTeam == null) r.curTeam = f.curTeam;
            r.assumedUnit |= f.assumedUnit;
        } else {
            r.calls++;
            if (f.estimate == null) {
                r.unpricedCalls++;
                r.unpricedTokens += f.tokens;
            } else {
                r.estimate = r.estimate.add(f.estimate);
                r.estTokens += f.tokens;
            }
            if ("partial".equals(f.attribution)) r.partialCalls++;
            if ("none".equals(f.attribution) || f.principal.isEmpty()) r.unattributedCalls++;
            if (r.ledgerTeam == null) r.ledgerTeam = f.team;
            if (r.model == null) r.model = f.model;
            if (r.snapshotId == null) r.snapshotId = f.snapshotId;
            if (r.ledgerRegion == null) r.ledgerRegion = f.region;
            r.derivedUsageType |= f.derivedUsageType;
            Correction c = new Correction();
            c.requestId = f.requestId;
            c.estimate = f.estimate;
            c.unpriced = f.estimate == null;
            c.billed = BigDecimal.valueOf(f.tokens); // the weight until onTimer turns it into money
            c.keys = 1;
            parts.add(c);
        }
        agg.update(r);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<KeyResult> out) throws Exception {
        KeyResult r = agg.value();
        if (r == null) return;
        out.collect(r);
        if (r.hasCur() && r.hasLedger()) {
            List<Correction> calls = new ArrayList<>();
            parts.get().forEach(calls::add);
            BigDecimal net = r.billedUsage.add(r.adjustments);
            BigDecimal total = BigDecimal.valueOf(r.estTokens + r.unpricedTokens);
            boolean equal = total.signum() == 0;
            boolean fin = finality.isFinal(r.bucket, r.period);
            BigDecimal assigned = BigDecimal.ZERO;
            for (int i = 0; i < calls.size(); i++) {
                Correction c = calls.get(i);
                BigDecimal share;
                if (i == calls.size() - 1) {
                    share = net.subtract(assigned); // the remainder, so shares add up to the bill exactly
                } else {
                    BigDecimal w = equal ? BigDecimal.ONE : c.billed;
                    BigDecimal of = equal ? BigDecimal.valueOf(calls.size()) : total;
                    share = net.multiply(w).divide(of, SHARE_SCALE, RoundingMode.HALF_EVEN);
                }
                assigned = assigned.add(share);
                c.billed = share;
                c.reconciled = fin;
                ctx.output(CORRECTIONS, c);
            }
        }
        agg.clear();
        parts.clear();
    }
}
