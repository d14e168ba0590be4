package io.bedrockspend.identity.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileModel;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceProfileType;
import software.amazon.awssdk.services.bedrock.model.Tag;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exports the application inference profiles of one or more regions: the map profile ARN → model id
 * that {@code replay --inference-profiles} reads (so calls logged with a profile ARN get priced), and
 * the profiles' tags.
 */
public final class ProfileExporter {
    /** ListInferenceProfiles' largest page size. */
    static final int PAGE_SIZE = 1000;

    /**
     * One application profile.
     *
     * @param target    what the map sends the profile ARN to (a model id, {@code global.}-prefixed
     *                  for global routing); null when no model ARN could be read
     * @param modelArns the profile's {@code models[].modelArn} as listed
     */
    public record ExportedProfile(String arn, String id, String name, String region, String status, String target,
                                  List<String> modelArns, Map<String, String> tags) {}

    /** The profiles found (sorted by ARN) and what could not be mapped cleanly. */
    public record Result(List<ExportedProfile> profiles, List<String> warnings) {
        public long tagged() { return profiles.stream().filter(p -> !p.tags().isEmpty()).count(); }
        public long mapped() { return profiles.stream().filter(p -> p.target() != null).count(); }

        /** The application-profile map: a flat JSON object, profile ARN → model id. */
        public String mapJson() {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            profiles.stream().filter(p -> p.target() != null).forEach(p -> root.put(p.arn(), p.target()));
            return pretty(om, root);
        }

        /** The tags file: {@code {"profiles":[{"arn","id","name","region","status","modelId","models","tags"}]}}. */
        public String tagsJson() {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            var arr = root.putArray("profiles");
            for (ExportedProfile p : profiles) {
                ObjectNode o = arr.addObject();
                o.put("arn", p.arn());
                o.put("id", p.id());
                o.put("name", p.name());
                o.put("region", p.region());
                o.put("status", p.status());
                o.put("modelId", p.target());
                var models = o.putArray("models");
                p.modelArns().forEach(models::add);
                ObjectNode t = o.putObject("tags");
                p.tags().forEach(t::put);
            }
            return pretty(om, root);
        }

        public void write(Path mapFile, Path tagsFile) throws IOException {
            ExportFiles.writeAtomically(mapFile, mapJson());
            ExportFiles.writeAtomically(tagsFile, tagsJson());
        }

        private static String pretty(ObjectMapper om, ObjectNode root) {
            try {
                return om.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What the profile's model list resolves to, and why it needs a look when it is not clean. */
    record Target(String target, String warning) {}

    private final Backoff backoff;

    public ProfileExporter(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Lists one region's application profiles (all pages) and each one's tags into {@code into}. */
    public void exportRegion(BedrockClient bedrock, String region, List<ExportedProfile> into, List<String> warnings)
            throws InterruptedException {
        backoff.forEachPage("ListInferenceProfiles " + region, bedrock.listInferenceProfilesPaginator(
                b -> b.typeEquals(InferenceProfileType.APPLICATION).maxResults(PAGE_SIZE)), page -> {
            for (InferenceProfileSummary s : page.inferenceProfileSummaries()) {
                // the listing filters server-side; this guards against a system profile in the map
                if (s.type() != null && s.type() != InferenceProfileType.APPLICATION) continue;
                List<String> arns = s.models().stream().map(InferenceProfileModel::modelArn).toList();
                Target t = target(arns);
                if (t.warning() != null) warnings.add(s.inferenceProfileArn() + ": " + t.warning());
                Map<String, String> tags = new TreeMap<>();
                for (Tag tag : backoff.call("ListTagsForResource " + s.inferenceProfileId(),
                        () -> bedrock.listTagsForResource(b -> b.resourceARN(s.inferenceProfileArn())).tags())) {
                    tags.put(tag.key(), tag.value());
                }
                into.add(new ExportedProfile(s.inferenceProfileArn(), s.inferenceProfileId(), s.inferenceProfileName(),
                        region, s.statusAsString(), t.target(), arns, tags));
            }
        });
    }

    public static Result result(List<ExportedProfile> profiles, List<String> warnings) {
        List<ExportedProfile> sorted = new ArrayList<>(profiles);
        sorted.sort(Comparator.comparing(ExportedProfile::arn));
        return new Result(List.copyOf(sorted), List.copyOf(warnings));
    }

    /**
     * The model a profile routes to. A profile copied from a single model lists one foundation-model
     * ARN; one copied from a cross-Region (system) profile lists that model once per destination
     * region, so the regional ARNs reduce to one id. A foundation-model ARN with no region is how
     * global routing names its destinations (inferred from IAM policies for global profiles): the
     * target is then {@code global.<id>} so pricing uses the global SKUs, not the regional ones.
     */
    static Target target(List<String> modelArns) {
        Set<String> ids = new LinkedHashSet<>();
        boolean global = false;
        List<String> unreadable = new ArrayList<>();
        for (String arn : modelArns) {
            String[] parts = arn == null ? new String[0] : arn.split(":", 6);
            int slash = parts.length == 6 ? parts[5].indexOf('/') : -1;
            if (slash < 0 || !parts[0].equals("arn")) { unreadable.add(arn); continue; }
            String type = parts[5].substring(0, slash);
            String id = parts[5].substring(slash + 1);
            if (type.equals("foundation-model")) {
                ids.add(id);
                if (parts[3].isEmpty()) global = true;
            } else if (type.equals("inference-profile")) {
                ids.add(id); // a system profile id: ModelIdNormalizer reads its geo/global prefix
            } else {
                unreadable.add(arn);
            }
        }
        if (ids.isEmpty()) {
            return new Target(null, modelArns.isEmpty() ? "lists no models; left out of the map"
                    : "no foundation-model ARN in " + modelArns + "; left out of the map");
        }
        String first = ids.iterator().next();
        String target = global && !first.startsWith("global.") ? "global." + first : first;
        if (ids.size() > 1) return new Target(target, "lists different models " + ids + "; mapped to the first, " + target);
        if (!unreadable.isEmpty()) return new Target(target, "ignored unreadable model ARNs " + unreadable);
        return new Target(target, null);
    }
}
