package io.bedrockspend.ingest;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DedupeOperatorTest {
    static InvocationCall call(String id, long input) {
        InvocationCall c = new InvocationCall();
        c.requestId = id;
        c.timestampMillis = 1_790_000_000_000L;
        c.identityArn = "arn:aws:iam::1:user/a";
        c.modelId = "amazon.nova-micro-v1:0";
        c.region = "us-east-1";
        c.inputTokens = input;
        c.origin = "f";
        c.position = "line 1";
        return c;
    }

    static KeyedOneInputStreamOperatorTestHarness<Long, InvocationCall, InvocationCall> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeOperator(Duration.ofHours(48))), (InvocationCall c) -> io.bedrockspend.Keys.hash64(c.requestId), Types.LONG);
        h.open();
        return h;
    }

    @Test
    void redeliveriesAreCountedOnce() throws Exception {
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(call("a", 10)));
            h.processElement(new StreamRecord<>(call("b", 10)));
            h.processElement(new StreamRecord<>(call("a", 10)));
            h.processElement(new StreamRecord<>(call("a", 10)));
            List<String> out = h.extractOutputValues().stream().map(c -> c.requestId).collect(Collectors.toList());
            assertEquals(List.of("a", "b"), out);
            assertEquals(null, h.getSideOutput(DecodeOperator.DEAD_LETTERS));
        }
    }

    @Test
    void aHashCollisionNeverDropsACall() throws Exception {
        // every call on one key, as if all request ids had the same 64-bit hash
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeOperator(Duration.ofHours(48))), (InvocationCall c) -> 7L, Types.LONG);
        h.open();
        h.processElement(new StreamRecord<>(call("a", 10)));
        h.processElement(new StreamRecord<>(call("b", 10)));
        h.processElement(new StreamRecord<>(call("a", 10)));
        assertEquals(List.of("a", "b"), h.extractOutputValues().stream().map(c -> c.requestId).collect(Collectors.toList()));
        h.close();
    }

    @Test
    void conflictingRedeliveryIsDeadLetteredAndFirstKept() throws Exception {
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(call("a", 10)));
            h.processElement(new StreamRecord<>(call("a", 99)));
            assertEquals(1, h.extractOutputValues().size());
            assertEquals(10, h.extractOutputValues().get(0).inputTokens);
            var dl = h.getSideOutput(DecodeOperator.DEAD_LETTERS);
            assertEquals(1, dl.size());
            assertEquals("CONFLICTING_DUPLICATE", dl.peek().getValue().reason);
            assertEquals("a", dl.peek().getValue().recordId);
        }
    }

    @Test
    void stateSurvivesSnapshotAndRestore() throws Exception {
        var snapshot = (org.apache.flink.runtime.checkpoint.OperatorSubtaskState) null;
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(call("a", 10)));
            snapshot = h.snapshot(1L, 1L);
        }
        var h2 = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeOperator(Duration.ofHours(48))), (InvocationCall c) -> io.bedrockspend.Keys.hash64(c.requestId), Types.LONG);
        h2.initializeState(snapshot);
        h2.open();
        h2.processElement(new StreamRecord<>(call("a", 10)));
        h2.processElement(new StreamRecord<>(call("c", 10)));
        assertEquals(List.of("c"), h2.extractOutputValues().stream().map(c -> c.requestId).collect(Collectors.toList()));
        h2.close();
    }
}
