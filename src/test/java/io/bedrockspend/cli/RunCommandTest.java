package io.bedrockspend.cli;

import io.bedrockspend.run.ConfigException;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --config} parsing (YAML, JSON, properties, Managed Flink runtime properties) and the job graph it builds. */
class RunCommandTest {
    static final String INV = "arn:aws:kinesis:eu-west-1:111122223333:stream/bedrock-invocations";
    static final String CT = "arn:aws:kinesis:eu-west-1:111122223333:stream/bedrock-cloudtrail";
    static final String SPEND = "arn:aws:kinesis:eu-west-1:111122223333:stream/bedrock-spend";

    @TempDir
    Path dir;

    String yaml() {
        return """
                aws:
                  region: eu-west-1
                  credentials:
                    provider: AUTO
                invocations:
                  stream:
                    arn: %s
                cloudtrail.stream.arn: %s
                spend:
                  stream:
                    arn: %s
                  max-buffer-time: 100ms
                source:
                  initial-position: TRIM_HORIZON
                  idleness: 30s
                ledger.path: s3://acme-finops/bedrock-spend/ledger
                dead-letters.path: s3://acme-finops/bedrock-spend/dead-letters
                pricing.dir: %s
                checkpoint:
                  interval: 30s
                  dir: s3://acme-flink/checkpoints
                flink:
                  restart-strategy.type: exponential-delay
                """.formatted(INV, CT, SPEND, Path.of(System.getProperty("user.dir"), "pricing-snapshots"));
    }

    @Test
    void yamlConfigIsFlattenedAndTyped() throws Exception {
        Path f = Files.writeString(dir.resolve("job.yaml"), yaml());
        JobConfig c = JobConfig.fromFile(f);
        assertEquals("eu-west-1", c.region);
        assertEquals(INV, c.invocationsStreamArn);
        assertEquals(JobConfig.InitialPosition.TRIM_HORIZON, c.initialPosition);
        assertEquals(Duration.ofSeconds(30), c.sourceIdleness);
        assertEquals(Duration.ofMillis(100), c.spendMaxBufferTime);
        assertEquals(JobConfig.StateBackend.ROCKSDB, c.stateBackend);
        Configuration flink = SpendJob.flinkConfiguration(c, false);
        Map<String, String> m = flink.toMap();
        assertEquals("30000 ms", m.get("execution.checkpointing.interval"));
        assertEquals("rocksdb", m.get("state.backend.type"));
        assertEquals("RETAIN_ON_CANCELLATION", m.get("execution.checkpointing.externalized-checkpoint-retention"));
        assertEquals("true", m.get("execution.checkpointing.unaligned.enabled"));
        assertEquals("s3://acme-flink/checkpoints", m.get("execution.checkpointing.dir"));
        assertEquals("exponential-delay", m.get("restart-strategy.type"));
    }

    @Test
    void jsonAndPropertiesGiveTheSameSettings() throws Exception {
        Path json = Files.writeString(dir.resolve("job.json"), """
                {"aws": {"region": "eu-west-1"}, "invocations": {"stream": {"arn": "%s"}},
                 "ledger": {"path": "/tmp/ledger"}, "checkpoint": {"interval": "2m"}}
                """.formatted(INV));
        Path props = Files.writeString(dir.resolve("job.properties"),
                "aws.region=eu-west-1\ninvocations.stream.arn=" + INV + "\nledger.path=/tmp/ledger\ncheckpoint.interval=2m\n");
        for (Path f : new Path[]{json, props}) {
            JobConfig c = JobConfig.fromFile(f);
            assertEquals(Duration.ofMinutes(2), c.checkpointInterval, f.toString());
            assertEquals("/tmp/ledger", c.ledgerPath);
            assertEquals(null, c.cloudtrailStreamArn);
        }
    }

    @Test
    void managedFlinkRuntimePropertiesUseGroupsAsPrefixes() throws Exception {
        Path f = Files.writeString(dir.resolve("application_properties.json"), """
                [{"PropertyGroupId": "bedrock-spend", "PropertyMap": {"aws.region": "eu-west-1", "ledger.path": "s3://b/ledger"}},
                 {"PropertyGroupId": "invocations", "PropertyMap": {"stream.arn": "%s"}},
                 {"PropertyGroupId": "checkpoint", "PropertyMap": {"interval": "45s"}}]
                """.formatted(INV));
        JobConfig c = JobConfig.fromManagedFlink(f);
        assertEquals(INV, c.invocationsStreamArn);
        assertEquals("s3://b/ledger", c.ledgerPath);
        Map<String, String> m = SpendJob.flinkConfiguration(c, true).toMap();
        // the service owns checkpointing: only what was set explicitly is applied
        assertEquals("45000 ms", m.get("execution.checkpointing.interval"));
        assertFalse(m.containsKey("state.backend.type"));
    }

    @Test
    void theDocumentedExampleParses() throws Exception {
        JobConfig c = JobConfig.fromFile(Path.of(System.getProperty("user.dir"), "deploy/job.example.yaml"));
        assertEquals(Duration.ofHours(48), c.pipeline.dedupeRetention);
        assertEquals("exponential-delay", c.flinkExtra.get("restart-strategy.type"));
    }

    @Test
    void mistakesNameTheKey() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.properties"),
                "aws.region=eu-west-1\ninvocations.stream.arn=" + INV + "\nledger.path=/tmp/l\ncheckpoint.intervall=1m\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.fromFile(typo));
        assertTrue(e.getMessage().contains("checkpoint.intervall"), e.getMessage());
        Path noLedger = Files.writeString(dir.resolve("n.properties"), "aws.region=eu-west-1\ninvocations.stream.arn=" + INV + "\n");
        assertTrue(assertThrows(ConfigException.class, () -> JobConfig.fromFile(noLedger)).getMessage().contains("ledger.path"));
        Path badArn = Files.writeString(dir.resolve("b.properties"), "aws.region=eu-west-1\ninvocations.stream.arn=my-stream\nledger.path=/l\n");
        assertTrue(assertThrows(ConfigException.class, () -> JobConfig.fromFile(badArn)).getMessage().contains("not a Kinesis stream ARN"));
    }

    @Test
    void planShowsSourcesAndSinksWithoutRunning() throws Exception {
        Path f = Files.writeString(dir.resolve("job.yaml"), yaml()
                .replace("s3://acme-finops/bedrock-spend", dir.toUri().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RunCommand.run(new String[]{"run", "--config", f.toString(), "--plan"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String plan = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        for (String op : new String[]{"kinesis invocations", "kinesis cloudtrail", "ledger", "live spend", "dead letters", "dedupe"}) {
            assertTrue(plan.contains(op), "plan lacks " + op);
        }
    }

    @Test
    void exitCodes() throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, RunCommand.run(new String[]{"run"}, sink, sink));
        assertEquals(ExitCodes.BAD_INPUT, RunCommand.run(new String[]{"run", "--config", dir.resolve("missing.yaml").toString()}, sink, sink));
        assertEquals(ExitCodes.OK, RunCommand.run(new String[]{"run", "--help"}, sink, sink));
        // s3:// without the flink-s3-fs plugin: a clear message and exit 3, before any job is built
        Path f = Files.writeString(dir.resolve("s3.yaml"), yaml());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCodes.BAD_INPUT, RunCommand.run(new String[]{"run", "--config", f.toString(), "--plan"}, sink,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no file system for s3://"), err.toString(StandardCharsets.UTF_8));
    }
}
