package io.bedrockspend.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** A {@link DecodeSink} that keeps everything, plus fixture helpers. */
final class Collected implements DecodeSink {
    final List<InvocationCall> calls = new ArrayList<>();
    final List<TrailEvent> trails = new ArrayList<>();
    final List<DeadLetter> dead = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    @Override
    public void call(InvocationCall c) {
        calls.add(c);
    }

    @Override
    public void trail(TrailEvent e) {
        trails.add(e);
    }

    @Override
    public void deadLetter(DeadLetter d) {
        dead.add(d);
    }

    @Override
    public void skipped(String what) {
        skipped.add(what);
    }

    int total() {
        return calls.size() + trails.size() + dead.size() + skipped.size();
    }

    static Collected decode(RecordDecoder decoder, byte[] payload) {
        Collected c = new Collected();
        decoder.decode(new RawRecord("test", "line 1", payload), c);
        return c;
    }

    static Collected decode(byte[] payload) {
        return decode(new RecordDecoder(), payload);
    }

    static Collected decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] resource(String name) {
        try (InputStream in = Collected.class.getResourceAsStream("/ingest/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(resource(name), StandardCharsets.UTF_8).trim();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }
}
