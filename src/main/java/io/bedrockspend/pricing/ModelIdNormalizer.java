package io.bedrockspend.pricing;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reduces a logged {@code modelId} (base id, system/geo profile id, foundation-model ARN,
 * inference-profile ARN or application-inference-profile ARN) to a {@link ModelRef}. Plain string
 * scanning, no regex; results are cached because the set of distinct ids is small.
 */
public final class ModelIdNormalizer implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String UNRESOLVED_APP_PROFILE = "unresolved application inference profile";
    /** Beyond this many distinct ids we stop caching rather than grow without bound. */
    private static final int MAX_CACHED = 10_000;

    private final Map<String, String> applicationProfiles;
    private final Map<String, String> aliases;
    private transient volatile Map<String, ModelRef> cache;

    /**
     * @param applicationProfiles application-inference-profile ARN (or its trailing id) to the
     *     model id or system profile id (or ARN) it routes to
     * @param aliases alternative base-id spelling to canonical base id (e.g. {@code -v1:0} to
     *     {@code -v1})
     */
    public ModelIdNormalizer(Map<String, String> applicationProfiles, Map<String, String> aliases) {
        this.applicationProfiles = Map.copyOf(applicationProfiles);
        this.aliases = Map.copyOf(aliases);
    }

    public static ModelIdNormalizer plain() {
        return new ModelIdNormalizer(Map.of(), Map.of());
    }

    public ModelIdNormalizer withApplicationProfiles(Map<String, String> profiles) {
        return new ModelIdNormalizer(profiles, aliases);
    }

    Map<String, String> aliases() {
        return aliases;
    }

    public ModelRef normalize(String loggedId) {
        if (loggedId == null || loggedId.isEmpty()) {
            return ModelRef.unresolved(loggedId, null, "no model id");
        }
        Map<String, ModelRef> c = cache();
        ModelRef hit = c.get(loggedId);
        if (hit != null) {
            return hit;
        }
        ModelRef ref = resolve(loggedId);
        if (c.size() < MAX_CACHED) {
            c.put(loggedId, ref);
        }
        return ref;
    }

    private Map<String, ModelRef> cache() {
        Map<String, ModelRef> c = cache;
        if (c == null) {
            synchronized (this) {
                if (cache == null) {
                    cache = new ConcurrentHashMap<>();
                }
                c = cache;
            }
        }
        return c;
    }

    private ModelRef resolve(String loggedId) {
        if (!loggedId.startsWith("arn:")) {
            return fromProfileOrBaseId(loggedId, loggedId, null);
        }
        // arn:partition:service:region:account:resource-type/resource-id (the id may contain ':')
        int[] colons = new int[5];
        int found = 0;
        for (int i = 0; i < loggedId.length() && found < 5; i++) {
            if (loggedId.charAt(i) == ':') {
                colons[found++] = i;
            }
        }
        if (found < 5) {
            return ModelRef.unresolved(loggedId, null, "malformed model ARN");
        }
        String region = loggedId.substring(colons[2] + 1, colons[3]);
        String arnRegion = region.isEmpty() ? null : region;
        String resource = loggedId.substring(colons[4] + 1);
        int slash = resource.indexOf('/');
        if (slash < 0) {
            return ModelRef.unresolved(loggedId, arnRegion, "malformed model ARN");
        }
        String type = resource.substring(0, slash);
        String id = resource.substring(slash + 1);
        switch (type) {
            case "foundation-model":
            case "inference-profile":
                return fromProfileOrBaseId(loggedId, id, arnRegion);
            case "application-inference-profile":
                return fromApplicationProfile(loggedId, id, arnRegion);
            default:
                return ModelRef.unresolved(loggedId, arnRegion, "unsupported model ARN type " + type);
        }
    }

    private ModelRef fromApplicationProfile(String loggedId, String profileId, String arnRegion) {
        String target = applicationProfiles.get(loggedId);
        if (target == null) {
            target = applicationProfiles.get(profileId);
        }
        if (target == null || target.contains(":application-inference-profile/")) {
            // Not mapped (or mapped to another app profile, which we refuse to chase).
            return ModelRef.unresolved(loggedId, arnRegion, UNRESOLVED_APP_PROFILE);
        }
        ModelRef inner = resolve(target);
        if (!inner.isResolved()) {
            return ModelRef.unresolved(loggedId, arnRegion, inner.unresolvedReason());
        }
        return new ModelRef(loggedId, inner.baseModelId(), inner.routingClass(), inner.profileGeo(),
                inner.arnRegion() != null ? inner.arnRegion() : arnRegion, null);
    }

    private ModelRef fromProfileOrBaseId(String loggedId, String id, String arnRegion) {
        int dot = id.indexOf('.');
        if (dot > 0) {
            String prefix = id.substring(0, dot);
            if ("global".equals(prefix)) {
                return new ModelRef(loggedId, canonical(id.substring(dot + 1)), RoutingClass.GLOBAL,
                        null, arnRegion, null);
            }
            if (RegionGeo.GEOS.contains(prefix)) {
                return new ModelRef(loggedId, canonical(id.substring(dot + 1)), RoutingClass.REGIONAL,
                        prefix, arnRegion, null);
            }
        }
        return new ModelRef(loggedId, canonical(id), RoutingClass.REGIONAL, null, arnRegion, null);
    }

    private String canonical(String baseId) {
        return aliases.getOrDefault(baseId, baseId);
    }
}
