package io.bedrockspend.pricing;

import java.util.List;
import java.util.Set;

/**
 * Which price geos a source region belongs to, most specific first. Snapshot entries scoped to a
 * geo apply to every region in it (e.g. US commercial regions share the US price).
 */
public final class RegionGeo {
    /** Geo scopes a snapshot may use, also the geo-profile prefixes. */
    public static final Set<String> GEOS = Set.of("us", "eu", "apac", "jp", "au", "us-gov", "ca");

    /** Scope matching any region (global profile prices). */
    public static final String ANY = "*";

    private static final List<String> US = List.of("us");
    private static final List<String> EU = List.of("eu");
    private static final List<String> APAC = List.of("apac");
    private static final List<String> JP = List.of("jp", "apac");
    private static final List<String> AU = List.of("au", "apac");
    private static final List<String> CA = List.of("ca");
    private static final List<String> US_GOV = List.of("us-gov");

    private RegionGeo() {}

    /** The geos of a region code; empty for regions outside every geo (sa-east-1, ...). */
    public static List<String> geosOf(String region) {
        if (region == null) {
            return List.of();
        }
        switch (region) {
            case "us-east-1":
            case "us-east-2":
            case "us-west-1":
            case "us-west-2":
                return US;
            case "ap-northeast-1":
                return JP;
            case "ap-southeast-2":
                return AU;
            default:
                break;
        }
        if (region.startsWith("us-gov-")) {
            return US_GOV;
        }
        if (region.startsWith("eu-")) {
            return EU;
        }
        if (region.startsWith("ap-")) {
            return APAC;
        }
        if (region.startsWith("ca-")) {
            return CA;
        }
        return List.of();
    }

    /** True for a geo name or {@code *}; anything else in a scope must look like a region code. */
    public static boolean isGeoOrAny(String scope) {
        return ANY.equals(scope) || GEOS.contains(scope);
    }
}
