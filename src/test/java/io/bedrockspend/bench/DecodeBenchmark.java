package io.bedrockspend.bench;

import io.bedrockspend.demo.BenchDataWriter;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.demo.TrafficGenerator.Bodies;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Decode + parse one invocation record (raw JSON bytes as framed from a file), with bodies off, ~10 kB
 * and ~100 kB bodies: the streaming decoder against a naive {@code ObjectMapper.readTree}. Records come
 * from the same generator as the replay benchmark. Run with bench/jmh.
 */
public class DecodeBenchmark extends RecordDecodeBenchmark {
    @Param({"none", "10k", "100k"})
    public String bodies;

    @Setup
    public void generate() throws IOException {
        ByteArrayOutputStream inv = new ByteArrayOutputStream();
        TrafficGenerator gen = new TrafficGenerator(1, BenchDataWriter.DEFAULT_START, BenchDataWriter.DEFAULT_RATE,
                TrafficGenerator.Options.bench(Bodies.parse(bodies)));
        gen.writeJsonLines(64, inv, new ByteArrayOutputStream());
        use(inv.toByteArray(), line -> true);
    }
}
