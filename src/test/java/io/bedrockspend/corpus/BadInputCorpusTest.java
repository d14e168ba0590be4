package io.bedrockspend.corpus;

import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DeadLetterReason;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.DecodeSink;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.RecordDecoder;
import io.bedrockspend.ingest.TrailEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every corpus record, decoded on its own, has its documented outcome; caps keep memory bounded. */
class BadInputCorpusTest {
    static final class Out implements DecodeSink {
        final List<InvocationCall> calls = new ArrayList<>();
        final List<TrailEvent> trails = new ArrayList<>();
        final List<DeadLetter> dead = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();

        @Override public void call(InvocationCall c) { calls.add(c); }
        @Override public void trail(TrailEvent e) { trails.add(e); }
        @Override public void deadLetter(DeadLetter d) { dead.add(d); }
        @Override public void skipped(String what) { skipped.add(what); }

        String outcome() {
            int n = calls.size() + trails.size() + dead.size() + skipped.size();
            if (n == 0) return Corpus.NONE;
            if (n > 1) return "several: " + calls.size() + " calls, " + trails.size() + " trail, " + dead + ", " + skipped;
            if (!calls.isEmpty()) return Corpus.CALL;
            if (!trails.isEmpty()) return Corpus.TRAIL;
            if (!skipped.isEmpty()) return Corpus.SKIPPED;
            return dead.get(0).reason;
        }
    }

    static Out decode(RecordDecoder d, byte[] payload) {
        Out o = new Out();
        d.decode(new RawRecord("corpus", "line 1", payload), o);
        return o;
    }

    @Test
    void corpusHasAtLeastFiftyHostileRecordsEachWithItsDocumentedOutcome() {
        List<Corpus.Entry> entries = Corpus.entries();
        assertTrue(entries.stream().filter(e -> Corpus.isDeadLetter(e.decoderOutcome())).count() >= 50, "at least 50 dead-letter cases");
        RecordDecoder d = new RecordDecoder();
        List<String> wrong = new ArrayList<>();
        for (Corpus.Entry e : entries) {
            if (Corpus.isDeadLetter(e.decoderOutcome())) {
                DeadLetterReason.valueOf(e.decoderOutcome()); // the manifest names real reasons
            }
            Out o = decode(d, e.bytes());
            if (!o.outcome().equals(e.decoderOutcome())) {
                wrong.add(e.file() + ": expected " + e.decoderOutcome() + ", got " + o.outcome()
                        + (o.dead.isEmpty() ? "" : " (" + o.dead.get(0).detail + ")"));
            }
            for (DeadLetter dl : o.dead) {
                assertTrue(dl.detail != null && !dl.detail.isBlank(), e.file() + ": dead letter without detail");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void tenMegabyteMessageIsRejectedByTheRecordCapAtEveryLevel() throws Exception {
        byte[] big = Corpus.tenMegabyteRecord();
        assertEquals(DeadLetterReason.RECORD_TOO_LARGE.name(), decode(new RecordDecoder(), big).outcome());
        // as a line of a file: the framer stops storing at the cap and emits a framing error
        List<RawRecord> framed = new ArrayList<>();
        JsonRecordFileFormat.readStream(new ByteArrayInputStream(big), "mem", DecodeLimits.DEFAULT_MAX_RECORD_BYTES, framed::add);
        assertEquals(1, framed.size());
        assertEquals(DeadLetterReason.RECORD_TOO_LARGE.name(), framed.get(0).framingError);
        assertEquals(null, framed.get(0).payload);
    }

    @Test
    void decoderNeverMaterialisesMoreThanItsCaps() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        RecordDecoder d = new RecordDecoder();
        byte[] bomb = Corpus.resource("04-gzip-bomb.bin");
        byte[] big = Corpus.tenMegabyteRecord();
        d.decode(new RawRecord("warm-up", "1", bomb), new Out());

        // gunzip grows its buffer by doubling up to cap + 1 bytes: at most ~2x the cap allocated, then it stops
        long before = threads.getThreadAllocatedBytes(tid);
        assertEquals(DeadLetterReason.DECOMPRESSED_TOO_LARGE.name(), decode(d, bomb).outcome());
        long bombAlloc = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(bombAlloc < 3 * DecodeLimits.DEFAULT_MAX_DECOMPRESSED_BYTES, "bomb allocated " + bombAlloc);

        // a smaller cap is honoured just as well: the allocation follows the cap, not the bomb's size
        RecordDecoder small = new RecordDecoder(DecodeLimits.defaults().withMaxDecompressedBytes(1 << 20));
        before = threads.getThreadAllocatedBytes(tid);
        assertEquals(DeadLetterReason.DECOMPRESSED_TOO_LARGE.name(), decode(small, bomb).outcome());
        long smallAlloc = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(smallAlloc < 8L << 20, "bomb under a 1 MiB cap allocated " + smallAlloc);

        // an oversized raw record is rejected on its length, before any parsing
        before = threads.getThreadAllocatedBytes(tid);
        assertEquals(DeadLetterReason.RECORD_TOO_LARGE.name(), decode(d, big).outcome());
        assertTrue(threads.getThreadAllocatedBytes(tid) - before < 1 << 20, "10 MB record should not be copied");
    }

    @Test
    void retainedHeapStaysFlatOverManyHostileRecords() {
        RecordDecoder d = new RecordDecoder();
        byte[] bomb = Corpus.resource("04-gzip-bomb.bin");
        byte[] big = Corpus.tenMegabyteRecord();
        List<Corpus.Entry> entries = Corpus.entries();
        decode(d, bomb);
        long base = usedAfterGc();
        int dead = 0;
        for (int round = 0; round < 5; round++) {
            dead += decode(d, bomb).dead.size() + decode(d, big).dead.size();
            for (Corpus.Entry e : entries) {
                dead += decode(d, e.bytes()).dead.size();
            }
        }
        long growth = usedAfterGc() - base;
        assertTrue(dead > 250, "dead letters: " + dead);
        // the decoder keeps nothing between records: what is retained is the test's own small lists
        assertTrue(growth < 32L << 20, "retained heap grew by " + growth + " bytes");
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
