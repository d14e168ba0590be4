package io.bedrockspend.sinks;

import io.bedrockspend.spend.PricedCall;
import io.bedrockspend.spend.TeamTotal;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live view of an embedded job's outputs, for the terminal table of {@code demo}. Sinks running in
 * the same JVM (MiniCluster) publish into a board found by name; the renderer reads it. Team totals
 * arrive as versioned updates from the job's keyed aggregation, so the board only keeps the latest.
 */
public final class SpendBoard {
    private static final Map<String, SpendBoard> BOARDS = new ConcurrentHashMap<>();

    public final Map<String, TeamTotal> teams = new ConcurrentSkipListMap<>();
    public final AtomicLong calls = new AtomicLong();
    public final AtomicLong unpricedCalls = new AtomicLong();
    public final AtomicLong deadLetters = new AtomicLong();
    /** Unpriced model id → calls, so the operator sees which model needs a price. */
    public final Map<String, AtomicLong> unpricedModels = new ConcurrentSkipListMap<>();
    public final AtomicLong latestEventMillis = new AtomicLong();
    /** Alerts the job fired, newest last (bounded). */
    public final java.util.Deque<io.bedrockspend.alerts.AlertEvent> alerts = new java.util.concurrent.ConcurrentLinkedDeque<>();
    public final AtomicLong alertCount = new AtomicLong();
    /** Team → monthly budget USD, for display. */
    public final Map<String, java.math.BigDecimal> budgets = new ConcurrentHashMap<>();

    private SpendBoard() {}

    public static SpendBoard named(String name) {
        return BOARDS.computeIfAbsent(name, n -> new SpendBoard());
    }

    public static void drop(String name) {
        BOARDS.remove(name);
    }

    public static Sink<TeamTotal> teamTotalsSink(String board) {
        return new BoardSink<>(board, (b, t) -> b.teams.merge(t.team, t,
                (old, neu) -> neu.calls >= old.calls ? neu : old));
    }

    public static Sink<PricedCall> callsSink(String board) {
        return new BoardSink<>(board, (b, c) -> {
            b.calls.incrementAndGet();
            if (c.cost == null || !c.cost.isPriced()) {
                b.unpricedCalls.incrementAndGet();
                b.unpricedModels.computeIfAbsent(c.modelId + " (" + (c.cost == null ? "no cost" : c.cost.reason) + ")", k -> new AtomicLong()).incrementAndGet();
            }
            b.latestEventMillis.accumulateAndGet(c.timestampMillis, Math::max);
        });
    }

    public static Sink<io.bedrockspend.alerts.AlertEvent> alertsSink(String board) {
        return new BoardSink<>(board, (b, a) -> {
            b.alertCount.incrementAndGet();
            b.alerts.addLast(a);
            while (b.alerts.size() > 8) b.alerts.pollFirst();
        });
    }

    public static <T> Sink<T> countingSink(String board) {
        return new BoardSink<>(board, (b, x) -> b.deadLetters.incrementAndGet());
    }

    interface Update<T> extends java.io.Serializable {
        void apply(SpendBoard board, T value);
    }

    static final class BoardSink<T> implements Sink<T> {
        private final String board;
        private final Update<T> update;

        BoardSink(String board, Update<T> update) {
            this.board = board;
            this.update = update;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return writer();
        }

        private SinkWriter<T> writer() {
            SpendBoard b = named(board);
            return new SinkWriter<>() {
                @Override public void write(T element, Context context) { update.apply(b, element); }
                @Override public void flush(boolean endOfInput) {}
                @Override public void close() {}
            };
        }
    }
}
