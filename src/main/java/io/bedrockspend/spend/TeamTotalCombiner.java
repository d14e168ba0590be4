package io.bedrockspend.spend;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Batch runs only: sums one subtask's calls per team and emits one partial {@link TeamTotal} per
 * team at end of input, so the {@code keyBy(team)} after it sorts a handful of records instead of
 * one per call. Stateless across checkpoints, hence unusable in streaming jobs (which keep the
 * per-call map + keyed reduce).
 */
public class TeamTotalCombiner extends AbstractStreamOperator<TeamTotal>
        implements OneInputStreamOperator<PricedCall, TeamTotal>, BoundedOneInput {
    private transient Map<String, TeamTotal> totals;

    public TeamTotalCombiner() {
        // chain to the price operator: a custom operator starts a new task by default, which would
        // put a shuffle of every priced call in front of it
        setChainingStrategy(org.apache.flink.streaming.api.operators.ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        totals = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<PricedCall> element) {
        TeamTotal one = TeamTotal.of(element.getValue());
        totals.merge(one.team, one, TeamTotal::merge);
    }

    @Override
    public void endInput() {
        StreamRecord<TeamTotal> r = new StreamRecord<>(null);
        for (TeamTotal t : totals.values()) output.collect(r.replace(t));
        totals.clear();
    }
}
