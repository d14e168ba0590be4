package io.bedrockspend.cli;

import io.bedrockspend.sinks.SpendBoard;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.TeamTotal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Renders a {@link SpendBoard} as the demo's per-team spend table. */
final class SpendTable {
    private final SpendBoard board;
    private final Instant started;
    private final int metricsPort;
    private long lastCalls;
    private long lastNanos = System.nanoTime();
    private double rate;

    SpendTable(SpendBoard board, Instant started, int metricsPort) {
        this.board = board;
        this.started = started;
        this.metricsPort = metricsPort;
    }

    String render(boolean color) {
        long now = System.nanoTime();
        long calls = board.calls.get();
        if (now - lastNanos >= 900_000_000L) {
            rate = (calls - lastCalls) / ((now - lastNanos) / 1e9);
            lastCalls = calls;
            lastNanos = now;
        }
        List<TeamTotal> teams = new ArrayList<>(board.teams.values());
        teams.sort(Comparator.comparing((TeamTotal t) -> t.costUsd).reversed());
        String bold = color ? "\033[1m" : "";
        String dim = color ? "\033[2m" : "";
        String reset = color ? "\033[0m" : "";
        StringBuilder sb = new StringBuilder();
        long ev = board.latestEventMillis.get();
        sb.append(bold).append("bedrock-spend demo").append(reset)
                .append(String.format("   elapsed %ds   data up to %s%n",
                        Duration.between(started, Instant.now()).toSeconds(),
                        ev == 0 ? "-" : Instant.ofEpochMilli(ev).toString()));
        sb.append(String.format("calls %,d (%.1f/s)   unpriced %,d   dead letters %,d%n%n",
                calls, rate, board.unpricedCalls.get(), board.deadLetters.get()));
        sb.append(bold).append(String.format("%-20s %10s %16s %10s %8s %14s %16s%n",
                "TEAM", "CALLS", "SPEND USD", "UNPRICED", "ERRORS", "TOKENS IN/OUT", "BUDGET (USED)")).append(reset);
        BigDecimal total = BigDecimal.ZERO;
        long totalCalls = 0;
        for (TeamTotal t : teams) {
            total = total.add(t.costUsd);
            totalCalls += t.calls;
            BigDecimal budget = board.budgets.get(t.team);
            String used = budget == null || budget.signum() == 0 ? "-"
                    : Money.display(budget, 2) + " (" + t.costUsd.multiply(BigDecimal.valueOf(100))
                    .divide(budget, 0, java.math.RoundingMode.DOWN) + "%)";
            sb.append(String.format("%-20s %,10d %16s %,10d %,8d %14s %16s%n", t.team, t.calls,
                    Money.display(t.costUsd, 6), t.unpricedCalls, t.errorCalls,
                    compact(t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens) + "/" + compact(t.outputTokens), used));
        }
        sb.append(String.format("%-20s %,10d %16s%n", "TOTAL", totalCalls, Money.display(total, 6)));
        if (!board.unpricedModels.isEmpty()) {
            sb.append(dim).append("\nunpriced models (not counted as $0): ");
            boolean first = true;
            for (Map.Entry<String, AtomicLong> e : board.unpricedModels.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append(" × ").append(e.getValue().get());
                first = false;
            }
            sb.append(reset).append('\n');
        }
        if (!board.alerts.isEmpty()) {
            sb.append('\n').append(bold).append("alerts (").append(board.alertCount.get()).append(" fired, latest last)").append(reset).append('\n');
            for (io.bedrockspend.alerts.AlertEvent a : board.alerts) {
                sb.append(String.format("  %-8s %-8s %s%n", a.severity, a.state, a.message));
            }
        }
        sb.append(dim).append("\n");
        if (metricsPort != 0) sb.append("metrics: http://127.0.0.1:").append(metricsPort).append("/metrics   ");
        sb.append("Ctrl-C to stop").append(reset).append('\n');
        return sb.toString();
    }

    static String compact(long n) {
        if (n >= 1_000_000_000L) return String.format("%.1fG", n / 1e9);
        if (n >= 1_000_000L) return String.format("%.1fM", n / 1e6);
        if (n >= 1_000L) return String.format("%.1fk", n / 1e3);
        return Long.toString(n);
    }
}
