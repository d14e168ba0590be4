package io.bedrockspend.cli;

import io.bedrockspend.identity.export.Backoff;
import io.bedrockspend.identity.export.ExportClients;
import io.bedrockspend.identity.export.PrincipalExporter;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code principals export}: the principal-tag seed file from IAM (roles, users and their tags). */
public final class PrincipalsCommand {
    static final String USAGE = """
            usage: bedrock-spend principals export --out FILE [--format json|csv] [--region R] [--endpoint URL]

            Lists every IAM role and user of the account (ListRoles, ListUsers) with its tags
            (ListRoleTags, ListUserTags) and writes the principal-tag seed file that
            `replay --principal-tags FILE` reads (docs/principal-tags.md, docs/exporters.md).

              --out FILE        where to write (replaced whole only once the export has finished)
              --format F        json (default): ARNs with their IAM paths, untagged principals listed
                                with empty tags; csv: arn,key,value rows, untagged principals absent
              --region R        default: aws-global (IAM is global); give it for aws-cn / aws-us-gov
              --endpoint URL    endpoint override (VPC endpoint, tests)
            Throttling is retried with capped exponential back-off. Credentials: the AWS SDK default
            provider chain; needs iam:ListRoles, iam:ListUsers, iam:ListRoleTags, iam:ListUserTags.
            """;

    private PrincipalsCommand() {}

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.length < 2 || argv[1].equals("--help") || argv[1].equals("-h")) {
            (argv.length < 2 ? err : out).print(USAGE);
            return argv.length < 2 ? ExitCodes.USAGE : ExitCodes.OK;
        }
        Args a;
        boolean csv;
        try {
            if (!argv[1].equals("export")) throw new Args.UsageException("unknown subcommand: " + argv[1]);
            a = Args.parse(argv, 2, Set.of("out", "format", "region", "endpoint"), Set.of());
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            a.required("out");
            String format = a.one("format", "json");
            if (!format.equals("json") && !format.equals("csv")) {
                throw new Args.UsageException("--format must be json or csv");
            }
            csv = format.equals("csv");
        } catch (Args.UsageException e) {
            err.println("principals: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        Path file = Path.of(a.one("out", null));

        PrincipalExporter.Result r;
        try (IamClient iam = ExportClients.defaults(a.one("endpoint", null)).iam(a.one("region", null))) {
            r = new PrincipalExporter(iam, Backoff.standard(err)).export();
        }
        r.write(file, csv);
        for (String w : r.warnings()) err.println("principals: warning: " + w);
        out.printf("principals export: %d roles, %d users (%d tagged, %d untagged) → %s%n",
                r.roles(), r.users(), r.tagged(), r.untagged(), file);
        if (csv && r.untagged() > 0) {
            out.printf("  note: CSV has no row for the %d untagged principals; use --format json to keep them%n",
                    r.untagged());
        }
        return ExitCodes.OK;
    }
}
