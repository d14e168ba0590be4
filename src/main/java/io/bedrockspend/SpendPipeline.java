package io.bedrockspend;

import io.bedrockspend.identity.AttributeOperator;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.DecodeOperator;
import io.bedrockspend.ingest.DedupeOperator;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.TrailEvent;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.PriceOperator;
import io.bedrockspend.spend.PricedCall;
import io.bedrockspend.spend.TeamTotal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The one topology every mode runs (replay, demo, run): raw records in, priced and attributed calls,
 * team totals and dead letters out. Sources and sinks belong to the caller; this class does not know
 * which mode it is in.
 *
 * <pre>
 * raw ─ decode ─┬─ calls ─ dedupe(requestId) ─ price ─ attribute ─┬─ calls
 *               │                                                  └─ keyBy(team) ─ totals
 *               ├─ trail events (side output)
 *               └─ dead letters (side output) ∪ conflicting duplicates
 * </pre>
 */
public final class SpendPipeline {
    private SpendPipeline() {}

    /** The pipeline's outputs, for the caller to attach sinks to. */
    public record Outputs(DataStream<PricedCall> calls,
                          DataStream<TeamTotal> teamTotals,
                          DataStream<DeadLetter> deadLetters,
                          DataStream<TrailEvent> trailEvents) {}

    public static Outputs define(DataStream<RawRecord> raw, PipelineConfig cfg, PrincipalTagSeed seed,
                                 PriceBook priceBook, DecodeLimits limits) {
        SingleOutputStreamOperator<InvocationCall> decoded = raw
                .process(new DecodeOperator(limits))
                .uid("decode").name("decode");

        WatermarkStrategy<InvocationCall> eventTime = WatermarkStrategy
                .<InvocationCall>forBoundedOutOfOrderness(cfg.maxOutOfOrderness)
                .withTimestampAssigner((c, ts) -> c.timestampMillis)
                .withIdleness(cfg.sourceIdleness);

        SingleOutputStreamOperator<InvocationCall> distinct = decoded
                .assignTimestampsAndWatermarks(eventTime).uid("event-time").name("event time")
                .keyBy(c -> c.requestId)
                .process(new DedupeOperator(cfg.dedupeRetention))
                .uid("dedupe").name("dedupe by requestId");

        SingleOutputStreamOperator<PricedCall> calls = distinct
                .map(new PriceOperator(priceBook.withApplicationProfiles(cfg.applicationProfiles)))
                .uid("price").name("price")
                .map(new AttributeOperator(seed, cfg.teamKey, cfg.unattributedTeam))
                .uid("attribute").name("attribute");

        DataStream<TeamTotal> totals = calls
                .map(TeamTotal::of).uid("team-total-of").name("team total of call")
                .keyBy(t -> t.team)
                .reduce(TeamTotal::merge).uid("team-totals").name("team totals");

        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(DecodeOperator.DEAD_LETTERS)
                .union(distinct.getSideOutput(DecodeOperator.DEAD_LETTERS));

        return new Outputs(calls, totals, deadLetters, decoded.getSideOutput(DecodeOperator.TRAIL));
    }
}
