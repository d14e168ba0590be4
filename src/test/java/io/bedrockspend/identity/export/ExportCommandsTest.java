package io.bedrockspend.identity.export;

import io.bedrockspend.cli.ExitCodes;
import io.bedrockspend.cli.PrincipalsCommand;
import io.bedrockspend.cli.ProfilesCommand;
import io.bedrockspend.identity.PrincipalTagSeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two commands as {@code bin/bedrock-spend} runs them: clients built by the command itself, with
 * credentials (and, where no --region is given, the region) from the SDK default chains, here fed
 * by the {@code aws.*} system properties.
 */
class ExportCommandsTest {
    private static final String[] PROPS = {"aws.accessKeyId", "aws.secretAccessKey", "aws.region"};

    @TempDir
    Path dir;

    private final Map<String, String> saved = new HashMap<>();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void credentials() {
        for (String p : PROPS) saved.put(p, System.getProperty(p));
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) System.clearProperty(k); else System.setProperty(k, v);
        });
    }

    String out() { return outBytes.toString(StandardCharsets.UTF_8); }
    String err() { return errBytes.toString(StandardCharsets.UTF_8); }

    @Test
    void principalsExportWritesTheSeedAndPrintsASummary() throws Exception {
        Path file = dir.resolve("seed/principal-tags.json");
        try (FakeAws aws = IamFixtures.account()) {
            int code = PrincipalsCommand.run(new String[]{"principals", "export", "--out", file.toString(),
                    "--region", "us-east-1", "--endpoint", aws.endpoint().toString()}, out, err);
            assertEquals(ExitCodes.OK, code, err());
            assertEquals("us-east-1", aws.requests().get(0).signingRegion());
        }
        assertEquals("principals export: 4 roles, 2 users (4 tagged, 2 untagged) → " + file + "\n", out());
        assertEquals(6, PrincipalTagSeed.load(file).size());
    }

    @Test
    void principalsExportAsCsvSaysWhatItLeftOut() throws Exception {
        Path file = dir.resolve("principal-tags.csv");
        try (FakeAws aws = IamFixtures.account()) {
            assertEquals(ExitCodes.OK, PrincipalsCommand.run(new String[]{"principals", "export", "--out", file.toString(),
                    "--format", "csv", "--region", "us-east-1", "--endpoint", aws.endpoint().toString()}, out, err));
        }
        assertTrue(out().contains("CSV has no row for the 2 untagged principals"), out());
        assertEquals(4, PrincipalTagSeed.load(file).size());
    }

    @Test
    void aFailedExportLeavesTheOldFileAndFails() throws Exception {
        Path file = dir.resolve("principal-tags.json");
        Files.writeString(file, "{\"principals\":[]}");
        try (FakeAws aws = IamFixtures.account()) {
            aws.on("ListUsers", FakeAws.iamError(403, "export/iam/AccessDenied.xml"));
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> PrincipalsCommand.run(new String[]{
                    "principals", "export", "--out", file.toString(), "--region", "us-east-1",
                    "--endpoint", aws.endpoint().toString()}, out, err));
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
        }
        assertEquals("{\"principals\":[]}", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void principalsUsage() throws Exception {
        assertEquals(ExitCodes.USAGE, PrincipalsCommand.run(new String[]{"principals"}, out, err));
        assertEquals(ExitCodes.USAGE, PrincipalsCommand.run(new String[]{"principals", "export"}, out, err));
        assertTrue(err().contains("missing required option --out"), err());
        assertEquals(ExitCodes.USAGE, PrincipalsCommand.run(new String[]{"principals", "export", "--out", "x", "--format", "xml"}, out, err));
        assertEquals(ExitCodes.USAGE, PrincipalsCommand.run(new String[]{"principals", "import", "--out", "x"}, out, err));
        assertTrue(err().contains("unknown subcommand: import"), err());
        assertEquals(ExitCodes.OK, PrincipalsCommand.run(new String[]{"principals", "export", "--help"}, out, err));
        assertTrue(out().startsWith("usage: bedrock-spend principals export"), out());
    }

    @Test
    void profilesExportWritesTheMapAndTagsForEveryRegion() throws Exception {
        Path map = dir.resolve("profiles.json");
        try (FakeAws aws = BedrockFixtures.account()) {
            int code = ProfilesCommand.run(new String[]{"profiles", "export", "--out", map.toString(),
                    "--region", "us-east-1", "eu-west-1", "--endpoint", aws.endpoint().toString()}, out, err);
            assertEquals(ExitCodes.OK, code, err());
            assertEquals(java.util.List.of(), aws.misses());
        }
        Path tags = dir.resolve("profiles.tags.json");
        assertEquals("profiles export: 5 application profiles in us-east-1, eu-west-1 (5 mapped, 4 tagged) → "
                + map + ", " + tags + "\n", out());
        assertTrue(err().contains("profiles: warning: " + BedrockFixtures.MIXED + ": lists different models"), err());
        assertTrue(Files.readString(map).contains("\"" + BedrockFixtures.EU + "\" : \"anthropic.claude-haiku-4-5-20251001-v1:0\""));
        assertTrue(Files.readString(tags).contains("\"team\" : \"support\""));
    }

    @Test
    void profilesExportUsesTheDefaultRegionAndAnExplicitTagsFile() throws Exception {
        System.setProperty("aws.region", "eu-west-1");
        Path map = dir.resolve("app-profiles");
        Path tags = dir.resolve("elsewhere/profile-tags.json");
        try (FakeAws aws = BedrockFixtures.account()) {
            assertEquals(ExitCodes.OK, ProfilesCommand.run(new String[]{"profiles", "export", "--out", map.toString(),
                    "--tags-out", tags.toString(), "--endpoint", aws.endpoint().toString()}, out, err), err());
            assertTrue(aws.requests().stream().allMatch(q -> "eu-west-1".equals(q.signingRegion())));
        }
        assertTrue(out().contains("1 application profiles in eu-west-1"), out());
        assertTrue(Files.exists(tags));
        assertFalse(Files.exists(dir.resolve("app-profiles.tags.json")));
    }

    @Test
    void profilesTagsFileDefaultsBesideTheMap() throws Exception {
        Path map = dir.resolve("app-profiles");
        try (FakeAws aws = BedrockFixtures.account()) {
            assertEquals(ExitCodes.OK, ProfilesCommand.run(new String[]{"profiles", "export", "--out", map.toString(),
                    "--region", "eu-west-1", "--endpoint", aws.endpoint().toString()}, out, err), err());
        }
        assertTrue(Files.exists(dir.resolve("app-profiles.tags.json")));
    }

    @Test
    void profilesUsage() throws Exception {
        assertEquals(ExitCodes.USAGE, ProfilesCommand.run(new String[]{"profiles"}, out, err));
        assertEquals(ExitCodes.USAGE, ProfilesCommand.run(new String[]{"profiles", "export", "--region", "us-east-1"}, out, err));
        assertEquals(ExitCodes.USAGE, ProfilesCommand.run(new String[]{"profiles", "export", "--out", "x", "--region"}, out, err));
        assertTrue(err().contains("--region needs a value"), err());
        assertEquals(ExitCodes.OK, ProfilesCommand.run(new String[]{"profiles", "--help"}, out, err));
        assertTrue(out().startsWith("usage: bedrock-spend profiles export"), out());
    }
}
