package io.bedrockspend.cli;

import org.apache.flink.core.execution.JobClient;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress display for long-running commands. Shown only when stderr is an interactive
 * terminal; silent in pipes, CI logs and files.
 */
final class Progress implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    private Progress(Thread thread) {
        this.thread = thread;
    }

    static boolean interactive() {
        return System.console() != null && System.getenv("BEDROCK_SPEND_NO_PROGRESS") == null;
    }

    /** Starts polling the job's counters once a second; a no-op when not interactive. */
    static Progress start(JobClient job, String label, int files) {
        if (!interactive()) return new Progress(null);
        PrintStream err = System.err;
        long t0 = System.nanoTime();
        Progress[] self = new Progress[1];
        Thread t = new Thread(() -> {
            while (self[0] == null || self[0].running) {
                try {
                    Map<String, Object> acc = job.getAccumulators().get(2, TimeUnit.SECONDS);
                    long records = asLong(acc.get(io.bedrockspend.Counters.RECORDS));
                    long calls = asLong(acc.get(io.bedrockspend.Counters.CALLS));
                    double secs = (System.nanoTime() - t0) / 1e9;
                    err.printf("\r%s: %d files  %,d records  %,d calls  %,.0f records/s  %.0fs   ",
                            label, files, records, calls, secs > 0 ? records / secs : 0, secs);
                    err.flush();
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the job may be finishing: counters are briefly unavailable between its last task and its result
                    try { Thread.sleep(500); } catch (InterruptedException ie) { return; }
                }
            }
        }, "progress");
        Progress p = new Progress(t);
        self[0] = p;
        t.setDaemon(true);
        t.start();
        return p;
    }

    static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            System.err.print("\r\033[K");
            System.err.flush();
        }
    }
}
