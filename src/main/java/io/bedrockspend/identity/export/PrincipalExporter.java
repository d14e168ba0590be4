package io.bedrockspend.identity.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exports every IAM role and user of an account with its tags, as the principal-tag seed file
 * ({@code replay --principal-tags}, docs/principal-tags.md). ListRoles and ListUsers do not return
 * tags, so each principal costs one ListRoleTags / ListUserTags call (more for a long tag list).
 */
public final class PrincipalExporter {
    /** IAM's largest page size for these listings: fewer requests, less throttling. */
    static final int PAGE_SIZE = 1000;

    public enum Kind { ROLE, USER }

    /** One principal: its ARN exactly as IAM returns it (path included) and its tags, possibly none. */
    public record ExportedPrincipal(String arn, Kind kind, Map<String, String> tags) {}

    /** What an export found, sorted by ARN, and principals skipped (deleted while the export ran). */
    public record Result(List<ExportedPrincipal> principals, List<String> warnings) {
        public long roles() { return principals.stream().filter(p -> p.kind() == Kind.ROLE).count(); }
        public long users() { return principals.stream().filter(p -> p.kind() == Kind.USER).count(); }
        public long tagged() { return principals.stream().filter(p -> !p.tags().isEmpty()).count(); }
        public long untagged() { return principals.size() - tagged(); }

        /**
         * The seed file's JSON shape. Written here rather than with {@code PrincipalTagSeed.toJson},
         * which would canonicalize the ARNs: the file keeps IAM's ARNs with their paths (the loader
         * drops paths when matching) and lists untagged principals with {@code "tags": {}}, so a
         * principal known to have no tags is told apart from one the export never saw.
         */
        public String toJson() {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            var arr = root.putArray("principals");
            for (ExportedPrincipal p : principals) {
                ObjectNode o = arr.addObject();
                o.put("arn", p.arn());
                ObjectNode t = o.putObject("tags");
                p.tags().forEach(t::put);
            }
            try {
                return om.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The seed file's CSV shape ({@code arn,key,value}); it has no row for an untagged principal. */
        public String toCsv() {
            StringBuilder sb = new StringBuilder("arn,key,value\n");
            for (ExportedPrincipal p : principals) {
                p.tags().forEach((k, v) -> sb.append(ExportFiles.csv(p.arn())).append(',').append(ExportFiles.csv(k))
                        .append(',').append(ExportFiles.csv(v)).append('\n'));
            }
            return sb.toString();
        }

        public void write(Path file, boolean csv) throws IOException {
            ExportFiles.writeAtomically(file, csv ? toCsv() : toJson());
        }
    }

    private final IamClient iam;
    private final Backoff backoff;

    public PrincipalExporter(IamClient iam, Backoff backoff) {
        this.iam = iam;
        this.backoff = backoff;
    }

    public Result export() throws InterruptedException {
        List<ExportedPrincipal> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        backoff.forEachPage("ListRoles", iam.listRolesPaginator(b -> b.maxItems(PAGE_SIZE)), page -> {
            for (Role r : page.roles()) {
                try {
                    out.add(new ExportedPrincipal(r.arn(), Kind.ROLE, roleTags(r.roleName())));
                } catch (NoSuchEntityException e) {
                    // deleted between ListRoles and ListRoleTags: its tags are gone with it
                    warnings.add("role deleted during the export, skipped: " + r.arn());
                }
            }
        });
        backoff.forEachPage("ListUsers", iam.listUsersPaginator(b -> b.maxItems(PAGE_SIZE)), page -> {
            for (User u : page.users()) {
                try {
                    out.add(new ExportedPrincipal(u.arn(), Kind.USER, userTags(u.userName())));
                } catch (NoSuchEntityException e) {
                    warnings.add("user deleted during the export, skipped: " + u.arn());
                }
            }
        });
        out.sort(Comparator.comparing(ExportedPrincipal::arn));
        return new Result(List.copyOf(out), List.copyOf(warnings));
    }

    private Map<String, String> roleTags(String roleName) throws InterruptedException {
        Map<String, String> tags = new TreeMap<>();
        backoff.forEachPage("ListRoleTags " + roleName, iam.listRoleTagsPaginator(b -> b.roleName(roleName).maxItems(PAGE_SIZE)),
                page -> { for (Tag t : page.tags()) tags.put(t.key(), t.value()); });
        return tags;
    }

    private Map<String, String> userTags(String userName) throws InterruptedException {
        Map<String, String> tags = new TreeMap<>();
        backoff.forEachPage("ListUserTags " + userName, iam.listUserTagsPaginator(b -> b.userName(userName).maxItems(PAGE_SIZE)),
                page -> { for (Tag t : page.tags()) tags.put(t.key(), t.value()); });
        return tags;
    }
}
