package io.bedrockspend.identity;

/**
 * Canonical principal: the IAM user or role behind a call. An assumed-role session ARN
 * ({@code arn:aws:sts::A:assumed-role/R/S}) maps to its role; IAM paths are dropped because the STS
 * ARN never carries them and role and user names are unique per account without them.
 */
public final class Principals {
    private Principals() {}

    /** Canonical principal ARN for any IAM/STS ARN; null stays null; unknown shapes pass through. */
    public static String canonical(String arn) {
        if (arn == null || arn.isEmpty()) return arn;
        if (!arn.startsWith("arn:")) return arn;
        // arn:partition:service:region:account:resource
        int p1 = arn.indexOf(':', 4);
        int p2 = p1 < 0 ? -1 : arn.indexOf(':', p1 + 1);
        int p3 = p2 < 0 ? -1 : arn.indexOf(':', p2 + 1);
        int p4 = p3 < 0 ? -1 : arn.indexOf(':', p3 + 1);
        if (p4 < 0) return arn;
        String partition = arn.substring(4, p1);
        String service = arn.substring(p1 + 1, p2);
        String account = arn.substring(p3 + 1, p4);
        String resource = arn.substring(p4 + 1);
        if (service.equals("sts") && resource.startsWith("assumed-role/")) {
            String rest = resource.substring("assumed-role/".length());
            int slash = rest.indexOf('/');
            String role = slash < 0 ? rest : rest.substring(0, slash);
            return "arn:" + partition + ":iam::" + account + ":role/" + role;
        }
        if (service.equals("iam") && (resource.startsWith("role/") || resource.startsWith("user/"))) {
            String type = resource.substring(0, resource.indexOf('/'));
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return "arn:" + partition + ":iam::" + account + ":" + type + "/" + name;
        }
        return arn;
    }
}
