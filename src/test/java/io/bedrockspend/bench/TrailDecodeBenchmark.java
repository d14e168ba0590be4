package io.bedrockspend.bench;

import io.bedrockspend.demo.BenchDataWriter;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.demo.TrafficGenerator.Bodies;
import org.openjdk.jmh.annotations.Setup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Decode + parse one CloudTrail Bedrock runtime event (InvokeModel/Converse..., ~1.3 kB, as framed from a
 * file): the streaming decoder against a naive {@code ObjectMapper.readTree}. Events come from the same
 * generator as the replay benchmark, which writes one per call. Run with {@code bench/jmh DecodeBenchmark}.
 */
public class TrailDecodeBenchmark extends RecordDecodeBenchmark {
    @Setup
    public void generate() throws IOException {
        ByteArrayOutputStream trail = new ByteArrayOutputStream();
        TrafficGenerator gen = new TrafficGenerator(1, BenchDataWriter.DEFAULT_START, BenchDataWriter.DEFAULT_RATE,
                TrafficGenerator.Options.bench(Bodies.NONE));
        gen.writeJsonLines(64, new ByteArrayOutputStream(), trail);
        use(trail.toByteArray(), line -> line.contains("\"eventSource\":\"bedrock.amazonaws.com\""));
    }
}
