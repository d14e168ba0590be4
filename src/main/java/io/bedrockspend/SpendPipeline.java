package io.bedrockspend;

import io.bedrockspend.alerts.AlertEvent;
import io.bedrockspend.alerts.Alerts;
import io.bedrockspend.identity.AttributedCall;
import io.bedrockspend.identity.IdentityInput;
import io.bedrockspend.identity.IdentityJoin;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.identity.UnmeteredCall;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.DecodeOperator;
import io.bedrockspend.ingest.DedupeOperator;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.TrailEvent;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.PriceOperator;
import io.bedrockspend.pricing.PricingSource;
import io.bedrockspend.pricing.PricingUpdate;
import io.bedrockspend.sinks.SpendMetrics;
import io.bedrockspend.spend.PricedCall;
import io.bedrockspend.spend.SpendAggregator;
import io.bedrockspend.spend.SpendDelta;
import io.bedrockspend.spend.SpendDeltas;
import io.bedrockspend.spend.SpendUpdate;
import io.bedrockspend.spend.TeamTotal;
import io.bedrockspend.spend.TeamTotalCombiner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.time.Duration;

/**
 * The one topology every mode runs (replay, demo, run): raw records in, priced and attributed calls,
 * team totals, unmetered calls and dead letters out. Sources and sinks belong to the caller; this
 * class does not know which mode it is in.
 *
 * <pre>
 * raw ─ decode ─┬─ calls ─ dedupe(requestId) ──────────────┐
 *               ├─ runtime + STS events ───────────────────┴─ keyBy(caller ARN) ─ identity join ─ price ─┬─ calls
 *               ├─ IAM tag events ─ broadcast ───────────────────────────────────┘        │              └─ keyBy(team) ─ totals
 *               └─ dead letters ∪ conflicting duplicates                         unmetered calls
 * calls ─ spend series ─ keyBy(series) ─ minute / month-to-date ─┬─ metrics
 *                                                                └─ alerts (budgets broadcast)
 * </pre>
 * In batch runs ({@code replay}, {@code backfill}) two stages differ, for speed, with the same results:
 * price has no reload input (so it chains to the join instead of taking every call through a
 * shuffle), and team totals are summed per subtask before {@code keyBy(team)}.
 */
public final class SpendPipeline {
    private SpendPipeline() {}

    /**
     * The pipeline's outputs, for the caller to attach sinks to. {@code spendUpdates} and {@code alerts}
     * are null when {@link PipelineConfig#spendSeries} is off.
     */
    public record Outputs(DataStream<PricedCall> calls,
                          DataStream<TeamTotal> teamTotals,
                          DataStream<DeadLetter> deadLetters,
                          DataStream<TrailEvent> trailEvents,
                          DataStream<UnmeteredCall> unmeteredCalls,
                          DataStream<SpendUpdate> spendUpdates,
                          DataStream<AlertEvent> alerts) {}

    public static Outputs define(DataStream<RawRecord> raw, PipelineConfig cfg, PrincipalTagSeed seed,
                                 PriceBook priceBook, DecodeLimits limits) {
        SingleOutputStreamOperator<InvocationCall> decoded = raw
                .process(new DecodeOperator(limits))
                .uid("decode").name("decode");

        SingleOutputStreamOperator<InvocationCall> distinct = decoded
                .assignTimestampsAndWatermarks(eventTime(cfg, (InvocationCall c, long r) -> c.timestampMillis))
                .uid("call-event-time").name("call event time")
                .keyBy(c -> Keys.hash64(c.requestId))
                .process(new DedupeOperator(cfg.dedupeRetention))
                .uid("dedupe").name("dedupe by requestId");

        DataStream<TrailEvent> trail = decoded.getSideOutput(DecodeOperator.TRAIL)
                .assignTimestampsAndWatermarks(eventTime(cfg, (TrailEvent e, long r) -> e.eventTimeMillis))
                .uid("trail-event-time").name("CloudTrail event time");

        DataStream<IdentityInput> callInputs = distinct
                .map(IdentityInput::forJoin).returns(TypeInformation.of(IdentityInput.class))
                .uid("identity-input-calls").name("calls to identity");
        DataStream<IdentityInput> eventInputs = trail
                .filter(e -> !TrailEvent.Kind.PRINCIPAL_TAGS.name().equals(e.kind))
                .uid("runtime-and-session-events").name("runtime and STS events")
                .map(IdentityInput::forJoin).returns(TypeInformation.of(IdentityInput.class))
                .uid("identity-input-events").name("events to identity");
        BroadcastStream<TrailEvent> principalTagEvents = trail
                .filter(e -> TrailEvent.Kind.PRINCIPAL_TAGS.name().equals(e.kind))
                .uid("iam-tag-events").name("IAM tag events")
                .broadcast(IdentityJoin.PRINCIPAL_TAGS);

        if (isBatch(raw.getExecutionEnvironment())) {
            // a replay's answer must not depend on ties: runtime events sort ahead of their calls (a
            // streaming job sees them in arrival order and keeps its live, emit-when-known behaviour).
            // Stamped on each branch before the union, so each assigner chains to its producer: after
            // the union it would be a task of its own, a network hop for every call and event.
            long lead = cfg.identityWait.toMillis();
            callInputs = batchSortTime(callInputs, lead, "identity-sort-time-calls", "calls: batch sort time");
            eventInputs = batchSortTime(eventInputs, lead, "identity-sort-time-events",
                    "events: batch sort time (runtime events before their calls)");
        }
        DataStream<IdentityInput> identityInputs = callInputs.union(eventInputs);
        SingleOutputStreamOperator<AttributedCall> attributed = identityInputs
                .keyBy(IdentityInput::key)
                .connect(principalTagEvents)
                .process(new IdentityJoin(seed, cfg))
                .uid("identity").name("identity join");

        // batch runs price with the book they start with: a one-input operator chains to the join,
        // where the two-input (broadcast) one would put a shuffle of every call between them
        SingleOutputStreamOperator<PricedCall> calls = isBatch(raw.getExecutionEnvironment())
                ? attributed.process(new PriceOperator.FixedBook(priceBook, cfg.applicationProfiles))
                        .uid("price").name("price")
                : attributed
                        .connect(pricingUpdates(raw.getExecutionEnvironment(), cfg).broadcast(PriceOperator.PRICING))
                        .process(new PriceOperator(priceBook, cfg.applicationProfiles))
                        .uid("price").name("price");

        // a batch run needs only the final totals: sum per subtask first, so keyBy(team) sorts a few
        // records instead of one per call; a streaming job keeps one running update per call
        DataStream<TeamTotal> perCall = isBatch(raw.getExecutionEnvironment())
                ? calls.transform("team totals per subtask", TypeInformation.of(TeamTotal.class), new TeamTotalCombiner())
                        .uid("team-totals-local")
                : calls.map(TeamTotal::of).uid("team-total-of").name("team total of call");
        DataStream<TeamTotal> totals = perCall
                .keyBy(t -> t.team)
                .reduce(TeamTotal::merge).uid("team-totals").name("team totals");

        DataStream<SpendUpdate> updates = null;
        DataStream<AlertEvent> alerts = null;
        if (cfg.spendSeries) {
            java.util.List<String> dims = new java.util.ArrayList<>(cfg.aggregateDimensions);
            if (cfg.perPrincipalSeries && !dims.contains(SpendDeltas.PRINCIPAL)) dims.add(SpendDeltas.PRINCIPAL);
            updates = calls
                    .flatMap((PricedCall c, org.apache.flink.util.Collector<SpendDelta> out) -> SpendDeltas.of(c, dims).forEach(out::collect))
                    .returns(TypeInformation.of(SpendDelta.class))
                    .uid("spend-deltas").name("spend series of call")
                    .keyBy(SpendDelta::seriesKey)
                    .process(new SpendAggregator(cfg.minuteRetention, cfg.monthsRetained, cfg.liveUpdateInterval))
                    .uid("spend-aggregates").name("spend per minute and month");
            updates.process(new SpendMetrics()).setParallelism(1).uid("spend-metrics").name("spend metrics")
                    .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).setParallelism(1)
                    .uid("spend-metrics-end").name("metrics only");

            cfg.alerts.unattributedTeam = cfg.unattributedTeam; // one name for the bucket everywhere
            alerts = Alerts.define(updates, cfg.alerts);
        }

        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(DecodeOperator.DEAD_LETTERS)
                .union(distinct.getSideOutput(DecodeOperator.DEAD_LETTERS));

        return new Outputs(calls, totals, deadLetters, trail, attributed.getSideOutput(IdentityJoin.UNMETERED), updates, alerts);
    }

    /** New pricing snapshots while a streaming job runs. */
    private static DataStream<PricingUpdate> pricingUpdates(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env,
                                                           PipelineConfig cfg) {
        if (cfg.pricingFolder == null) {
            // the broadcast input still needs a stream: one that ends at once without an update
            return env.fromSource(io.bedrockspend.ingest.PollingSource.every(java.time.Duration.ZERO, true, i -> new PricingUpdate(),
                            TypeInformation.of(PricingUpdate.class)), io.bedrockspend.ingest.PollingSource.aboveEverything(), "no pricing reload")
                    .setParallelism(1).uid("pricing-none")
                    .filter(u -> false).setParallelism(1).uid("pricing-none-filter").name("no pricing reload");
        }
        return PricingSource.stream(env, cfg.pricingFolder, cfg.pricingPollInterval);
    }

    private static DataStream<IdentityInput> batchSortTime(DataStream<IdentityInput> in, long lead, String uid, String name) {
        return in.assignTimestampsAndWatermarks(WatermarkStrategy.<IdentityInput>noWatermarks()
                        .withTimestampAssigner((e, r) -> e.batchSortTime(lead)))
                .uid(uid).name(name);
    }

    private static boolean isBatch(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
        return env.getConfiguration().get(org.apache.flink.configuration.ExecutionOptions.RUNTIME_MODE)
                == org.apache.flink.api.common.RuntimeExecutionMode.BATCH;
    }

    private static <T> WatermarkStrategy<T> eventTime(PipelineConfig cfg,
                                                      org.apache.flink.api.common.eventtime.SerializableTimestampAssigner<T> ts) {
        Duration lateness = cfg.maxOutOfOrderness;
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(lateness)
                .withTimestampAssigner(ts)
                .withIdleness(cfg.sourceIdleness);
    }
}
