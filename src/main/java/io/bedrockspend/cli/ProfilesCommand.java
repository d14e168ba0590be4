package io.bedrockspend.cli;

import io.bedrockspend.identity.export.Backoff;
import io.bedrockspend.identity.export.ExportClients;
import io.bedrockspend.identity.export.ProfileExporter;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.bedrock.BedrockClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code profiles export}: the application-inference-profile map (and the profiles' tags) from Bedrock. */
public final class ProfilesCommand {
    static final String USAGE = """
            usage: bedrock-spend profiles export --out FILE [--tags-out FILE] [--region R...] [--endpoint URL]

            Lists the application inference profiles (ListInferenceProfiles, type APPLICATION) of each
            region with their models and tags (ListTagsForResource) and writes:
              FILE             {"<profile ARN>": "<model id>", ...}, what
                               `replay --inference-profiles FILE` reads
              FILE's tags      {"profiles":[{"arn", "id", "name", "region", "status", "modelId",
                               "models", "tags"}]}; default: FILE with .json replaced by .tags.json
                               (FILE.tags.json when FILE does not end in .json)

              --region R...     regions to list (application profiles are regional); default: the
                                SDK's region chain (AWS_REGION, profile)
              --tags-out FILE   where to write the tags file
              --endpoint URL    endpoint override (VPC endpoint, tests)
            Throttling is retried with capped exponential back-off. Credentials: the AWS SDK default
            provider chain; needs bedrock:ListInferenceProfiles and bedrock:ListTagsForResource.
            """;

    private ProfilesCommand() {}

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.length < 2 || argv[1].equals("--help") || argv[1].equals("-h")) {
            (argv.length < 2 ? err : out).print(USAGE);
            return argv.length < 2 ? ExitCodes.USAGE : ExitCodes.OK;
        }
        Args a;
        List<String> regions;
        try {
            if (!argv[1].equals("export")) throw new Args.UsageException("unknown subcommand: " + argv[1]);
            a = Args.parse(argv, 2, Set.of("out", "tags-out", "region", "endpoint"), Set.of());
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            a.required("out");
            if (a.has("region") && a.all("region").isEmpty()) throw new Args.UsageException("--region needs a value");
            regions = new ArrayList<>(new LinkedHashSet<>(a.all("region")));
            if (regions.isEmpty()) regions.add(defaultRegion());
        } catch (Args.UsageException e) {
            err.println("profiles: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        Path mapFile = Path.of(a.one("out", null));
        Path tagsFile = a.has("tags-out") ? Path.of(a.one("tags-out", null)) : tagsFileFor(mapFile);

        ExportClients clients = ExportClients.defaults(a.one("endpoint", null));
        ProfileExporter exporter = new ProfileExporter(Backoff.standard(err));
        List<ProfileExporter.ExportedProfile> profiles = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String region : regions) {
            try (BedrockClient bedrock = clients.bedrock(region)) {
                exporter.exportRegion(bedrock, region, profiles, warnings);
            }
        }
        ProfileExporter.Result r = ProfileExporter.result(profiles, warnings);
        r.write(mapFile, tagsFile);
        for (String w : r.warnings()) err.println("profiles: warning: " + w);
        out.printf("profiles export: %d application profiles in %s (%d mapped, %d tagged) → %s, %s%n",
                r.profiles().size(), String.join(", ", regions), r.mapped(), r.tagged(), mapFile, tagsFile);
        return ExitCodes.OK;
    }

    /** {@code profiles.json} → {@code profiles.tags.json}; any other name gets {@code .tags.json} appended. */
    static Path tagsFileFor(Path mapFile) {
        String name = mapFile.getFileName().toString();
        String tags = name.endsWith(".json") && name.length() > 5
                ? name.substring(0, name.length() - 5) + ".tags.json" : name + ".tags.json";
        return mapFile.resolveSibling(tags);
    }

    private static String defaultRegion() throws Args.UsageException {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        } catch (SdkClientException e) {
            throw new Args.UsageException("no region: give --region R (or set AWS_REGION)");
        }
    }
}
