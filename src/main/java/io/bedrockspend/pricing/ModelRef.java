package io.bedrockspend.pricing;

import java.io.Serializable;

/**
 * A logged model id reduced to what pricing keys on.
 *
 * @param loggedId the id as logged (base id, profile id or ARN)
 * @param baseModelId base model id after removing ARN and profile prefix and applying aliases;
 *     null when unresolved
 * @param routingClass global for {@code global.} profiles, regional otherwise
 * @param profileGeo the geo of a geo profile ({@code us}, {@code eu}, ...), null for in-region ids
 *     and global profiles
 * @param arnRegion the region named in an ARN, null when the id was not an ARN
 * @param unresolvedReason why the id could not be resolved (e.g. an unmapped application
 *     inference profile); null when resolved
 */
public record ModelRef(
        String loggedId,
        String baseModelId,
        RoutingClass routingClass,
        String profileGeo,
        String arnRegion,
        String unresolvedReason)
        implements Serializable {

    public boolean isResolved() {
        return unresolvedReason == null;
    }

    static ModelRef unresolved(String loggedId, String arnRegion, String reason) {
        return new ModelRef(loggedId, null, null, null, arnRegion, reason);
    }
}
