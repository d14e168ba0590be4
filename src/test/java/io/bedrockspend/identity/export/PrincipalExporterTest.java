package io.bedrockspend.identity.export;

import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.identity.Principals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.bedrockspend.identity.export.IamFixtures.ROLES_MARKER;
import static io.bedrockspend.identity.export.IamFixtures.SSO_ROLE;
import static io.bedrockspend.identity.export.IamFixtures.TAGS_MARKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real IamClient against recorded AWS Query responses. */
class PrincipalExporterTest {
    static final String ACCOUNT = "arn:aws:iam::111122223333:";
    static final String SEARCH = ACCOUNT + "role/services/search-svc";
    static final String SSO = ACCOUNT + "role/aws-reserved/sso.amazonaws.com/eu-west-1/" + SSO_ROLE;
    static final String BATCH = ACCOUNT + "role/batch-runner";
    static final String SUPPORT = ACCOUNT + "role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport";
    static final String ALICE = ACCOUNT + "user/alice";
    static final String BOB = ACCOUNT + "user/contractors/bob";

    @TempDir
    Path dir;

    final List<Duration> sleeps = new ArrayList<>();

    /** No jitter and no real sleeping, so the waits can be checked exactly. */
    Backoff recordingBackoff(int attempts) {
        return new Backoff(attempts, Duration.ofMillis(100), Duration.ofMillis(300), sleeps::add, d -> d, null);
    }

    PrincipalExporter.Result export(FakeAws aws, int sdkAttempts, Backoff backoff) throws Exception {
        try (IamClient iam = aws.clients(sdkAttempts).iam("us-east-1")) {
            return new PrincipalExporter(iam, backoff).export();
        }
    }

    @Test
    void exportsEveryRoleAndUserAcrossPagesWithPathsAndTags() throws Exception {
        try (FakeAws aws = IamFixtures.account()) {
            PrincipalExporter.Result r = export(aws, 1, recordingBackoff(3));

            assertEquals(List.of(), aws.misses());
            assertEquals(List.of(SSO, SUPPORT, BATCH, SEARCH, ALICE, BOB),
                    r.principals().stream().map(PrincipalExporter.ExportedPrincipal::arn).toList());
            assertEquals(4, r.roles());
            assertEquals(2, r.users());
            assertEquals(4, r.tagged());
            assertEquals(2, r.untagged());
            Map<String, Map<String, String>> tags = new java.util.HashMap<>();
            r.principals().forEach(p -> tags.put(p.arn(), p.tags()));
            // search-svc's tags came in two ListRoleTags pages
            assertEquals(Map.of("team", "search", "costCenter", "cc-100", "env", "prod"), tags.get(SEARCH));
            assertEquals(Map.of("team", "data-science", "costCenter", "cc 200"), tags.get(SSO));
            assertEquals(Map.of(), tags.get(BOB));
            assertEquals(Map.of(), tags.get(SUPPORT));

            // the wire: AWS Query form posts, the opaque markers sent back verbatim, the largest page size
            for (FakeAws.Request q : aws.requests()) {
                assertEquals("POST", q.method());
                assertEquals("/", q.path());
                assertEquals("2010-05-08", q.param("Version"));
                assertEquals("1000", q.param("MaxItems"));
                assertEquals("us-east-1", q.signingRegion());
            }
            assertEquals(1, aws.requests("ListRoles Marker=" + ROLES_MARKER).size());
            assertEquals(1, aws.requests("ListRoleTags RoleName=search-svc Marker=" + TAGS_MARKER).size());
            assertEquals(2 + 1 + 5 + 2, aws.requests().size());
        }
    }

    @Test
    void writtenSeedLoadsAndMapsSessionsToTheRightTags() throws Exception {
        Path file = dir.resolve("principal-tags.json");
        try (FakeAws aws = IamFixtures.account()) {
            export(aws, 1, recordingBackoff(3)).write(file, false);
        }
        String text = Files.readString(file);
        // IAM's ARNs with their paths, and untagged principals present with empty tags
        assertTrue(text.contains("\"arn\" : \"" + SSO + "\""), text);
        assertTrue(text.contains("\"arn\" : \"" + BOB + "\",\n    \"tags\" : { }"), text);

        PrincipalTagSeed seed = PrincipalTagSeed.load(file);
        assertEquals(6, seed.size());
        // an Identity Center session resolves to the role exported under aws-reserved/sso.amazonaws.com/...
        String ssoSession = "arn:aws:sts::111122223333:assumed-role/" + SSO_ROLE + "/alice@example.com";
        assertEquals(Map.of("team", "data-science", "costCenter", "cc 200"), seed.tagsOf(Principals.canonical(ssoSession)));
        // a role with a path: the STS session ARN never carries the path
        assertEquals("search", seed.tagsOf(Principals.canonical("arn:aws:sts::111122223333:assumed-role/search-svc/task-42")).get("team"));
        assertEquals("platform", seed.tagsOf(Principals.canonical("arn:aws:sts::111122223333:assumed-role/batch-runner/nightly")).get("team"));
        assertEquals("data-science", seed.tagsOf(Principals.canonical(ALICE)).get("team"));
        // known with no tags versus never seen
        assertTrue(seed.contains(Principals.canonical(BOB)));
        assertEquals(Map.of(), seed.tagsOf(Principals.canonical(BOB)));
        assertFalse(seed.contains(Principals.canonical("arn:aws:sts::111122223333:assumed-role/someone-else/s")));
    }

    @Test
    void csvSeedLoadsTheSameTagsButCannotListUntaggedPrincipals() throws Exception {
        Path file = dir.resolve("principal-tags.csv");
        try (FakeAws aws = IamFixtures.account()) {
            export(aws, 1, recordingBackoff(3)).write(file, true);
        }
        assertTrue(Files.readString(file).startsWith("arn,key,value\n" + SSO + ",costCenter,cc 200\n"));
        PrincipalTagSeed seed = PrincipalTagSeed.load(file);
        assertEquals(4, seed.size());
        assertEquals("cc 200", seed.tagsOf(Principals.canonical(SSO)).get("costCenter"));
        assertFalse(seed.contains(Principals.canonical(BOB)));
    }

    @Test
    void throttlingOnceIsRetriedByTheSdkOnTheSamePage() throws Exception {
        try (FakeAws aws = IamFixtures.account()) {
            aws.on("ListRoles Marker=" + ROLES_MARKER, FakeAws.iamThrottling(), FakeAws.xml("export/iam/ListRoles-2.xml"));
            Backoff backoff = recordingBackoff(3);
            PrincipalExporter.Result r = export(aws, 3, backoff);

            assertEquals(6, r.principals().size());
            assertEquals(2, aws.requests("ListRoles Marker=" + ROLES_MARKER).size());
            assertEquals(1, aws.requests("ListRoles").size());
            assertEquals(0, backoff.throttledCount());
            assertEquals(List.of(), sleeps);
        }
    }

    @Test
    void throttlingBeyondTheSdkRetriesBacksOffExponentiallyAndResumesThePage() throws Exception {
        try (FakeAws aws = IamFixtures.account()) {
            // the SDK gets 2 attempts per call; 5 throttles outlast 2 of them, the back-off waits twice
            FakeAws.Response t = FakeAws.iamThrottling();
            aws.on("ListRoleTags RoleName=search-svc Marker=" + TAGS_MARKER, t, t, t, t, t,
                    FakeAws.xml("export/iam/ListRoleTags-search-svc-2.xml"));
            Backoff backoff = recordingBackoff(4);
            PrincipalExporter.Result r = export(aws, 2, backoff);

            assertEquals(Map.of("team", "search", "costCenter", "cc-100", "env", "prod"), r.principals().stream()
                    .filter(p -> p.arn().equals(SEARCH)).findFirst().orElseThrow().tags());
            assertEquals(6, aws.requests("ListRoleTags RoleName=search-svc Marker=" + TAGS_MARKER).size());
            assertEquals(1, aws.requests("ListRoleTags RoleName=search-svc").size(), "first tag page fetched once");
            assertEquals(2, backoff.throttledCount());
            assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), sleeps);
        }
    }

    @Test
    void throttlingThatDoesNotStopFailsAfterTheCappedAttempts() throws Exception {
        try (FakeAws aws = IamFixtures.account()) {
            aws.on("ListUsers", FakeAws.iamThrottling());
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> export(aws, 1, recordingBackoff(5)));
            assertEquals("Throttling", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertEquals(5, aws.requests("ListUsers").size());
            assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300)), sleeps);
        }
    }

    @Test
    void accessDeniedFailsAtOnce() throws Exception {
        try (FakeAws aws = IamFixtures.account()) {
            aws.on("ListRoles", FakeAws.iamError(403, "export/iam/AccessDenied.xml"));
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> export(aws, 3, recordingBackoff(5)));
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            assertEquals(1, aws.requests().size());
            assertEquals(List.of(), sleeps);
        }
    }

    @Test
    void aUserDeletedDuringTheExportIsSkippedWithAWarning() throws Exception {
        try (FakeAws aws = IamFixtures.account()) {
            aws.on("ListUserTags UserName=bob", FakeAws.iamError(404, "export/iam/NoSuchEntity-bob.xml"));
            PrincipalExporter.Result r = export(aws, 1, recordingBackoff(3));
            assertEquals(5, r.principals().size());
            assertEquals(List.of("user deleted during the export, skipped: " + BOB), r.warnings());
        }
    }

    @Test
    void backoffDelaysDoubleToTheCapWithJitterInTheUpperHalf() {
        Backoff b = new Backoff(10, Duration.ofMillis(500), Duration.ofSeconds(20), d -> {}, Backoff::halfJitter, null);
        assertEquals(Duration.ofMillis(500), b.cappedDelay(1));
        assertEquals(Duration.ofMillis(1000), b.cappedDelay(2));
        assertEquals(Duration.ofMillis(16000), b.cappedDelay(6));
        assertEquals(Duration.ofSeconds(20), b.cappedDelay(7));
        assertEquals(Duration.ofSeconds(20), b.cappedDelay(60));
        for (int i = 0; i < 1000; i++) {
            long j = Backoff.halfJitter(1000);
            assertTrue(j >= 500 && j <= 1000, "jitter " + j);
        }
    }
}
