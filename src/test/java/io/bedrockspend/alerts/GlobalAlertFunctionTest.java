package io.bedrockspend.alerts;

import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static io.bedrockspend.alerts.SeriesAlertFunctionTest.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobalAlertFunctionTest {
    static final long OCT = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long NOV = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;

    static KeyedOneInputStreamOperatorTestHarness<String, SpendUpdate, AlertEvent> harness(OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new GlobalAlertFunction(new AlertConfig())),
                (SpendUpdate u) -> GlobalAlertFunction.KEY, Types.STRING);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    static void team(KeyedOneInputStreamOperatorTestHarness<String, SpendUpdate, AlertEvent> h, String team, long month, String cost,
                     long version, long at) throws Exception {
        h.processElement(new StreamRecord<>(update("team", team, SpendUpdate.MONTH, month, cost, version, at), at));
    }

    static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, SpendUpdate, AlertEvent> h) {
        List<String> l = h.extractOutputValues().stream().map(a -> a.state + " " + a.alertId).collect(Collectors.toList());
        h.getOutput().clear();
        return l;
    }

    @Test
    void unattributedShareWithHysteresisAndMonthRollover() throws Exception {
        try (var h = harness(null)) {
            team(h, "search", OCT, "95", 1, OCT + MIN);
            team(h, "unattributed", OCT, "4", 1, OCT + MIN);      // 4/99
            assertEquals(List.of(), ids(h));
            team(h, "unattributed", OCT, "6", 2, OCT + 2 * MIN);  // 6/101 = 5.94 %
            List<AlertEvent> fired = h.extractOutputValues();
            assertEquals(List.of("firing unattributed-share:team=unattributed:2026-10"), ids(h));
            assertEquals("5.94 % of October's Bedrock spend ($6.00 of $101.00) has no team tag, above the 5 % threshold", fired.get(0).message);
            team(h, "unattributed", OCT, "6.1", 3, OCT + 3 * MIN);
            team(h, "search", OCT, "120", 2, OCT + 3 * MIN);       // 6.1/126.1 = 4.8 %: inside the band
            assertEquals(List.of(), ids(h));
            team(h, "search", OCT, "200", 3, OCT + 4 * MIN);       // 2.9 %
            assertEquals(List.of("resolved unattributed-share:team=unattributed:2026-10"), ids(h));
            team(h, "search", OCT, "100", 1, OCT + 4 * MIN);       // stale version: ignored
            assertEquals(List.of(), ids(h));
            team(h, "unattributed", OCT, "30", 4, NOV - MIN);
            assertEquals(List.of("firing unattributed-share:team=unattributed:2026-10"), ids(h));
            // November: only November's figures count; October's alert closes
            team(h, "search", NOV, "50", 4, NOV + MIN);
            assertEquals(List.of("resolved unattributed-share:team=unattributed:2026-10"), ids(h));
        }
    }

    @Test
    void staleInputFiresInProcessingTimeAndResolvesWhenDataFlowsAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.setProcessingTime(1_000);
            team(h, "search", OCT, "1", 1, OCT + MIN);
            h.setProcessingTime(1_000 + 10 * MIN);
            // updates that do not advance the watermark do not count as progress
            team(h, "search", OCT, "2", 2, OCT + MIN);
            assertEquals(List.of(), ids(h));
            h.setProcessingTime(1_000 + 16 * MIN);
            List<AlertEvent> stale = h.extractOutputValues();
            assertEquals(List.of("firing stale-input:" + Instant.ofEpochMilli(OCT + MIN)), ids(h));
            assertEquals("critical", stale.get(0).severity);
            assertTrue(stale.get(0).message.contains("complete only up to 2026-10-01T00:01:00Z"), stale.get(0).message);
            h.setProcessingTime(1_000 + 30 * MIN);
            assertEquals(List.of(), ids(h));   // fires once, not every check
            snapshot = h.snapshot(1L, 1L);
        }
        // the firing state survives a restart: the first advancing update resolves it
        try (var h = harness(snapshot)) {
            h.setProcessingTime(1_000 + 31 * MIN);
            team(h, "search", OCT, "3", 3, OCT + 2 * MIN);
            assertEquals(List.of("resolved stale-input:" + Instant.ofEpochMilli(OCT + MIN)), ids(h));
        }
    }
}
