package io.bedrockspend.pricing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Billing region codes (the prefix of a Price List / CUR usage type) to region codes. A table, not
 * string rules: APS3 is ap-south-1 and cannot be derived from the name.
 */
public final class BillingRegions {
    private static final Map<String, String> CODE_TO_REGION;
    private static final Map<String, String> REGION_TO_CODE;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("USE1", "us-east-1");
        m.put("USE2", "us-east-2");
        m.put("USW1", "us-west-1");
        m.put("USW2", "us-west-2");
        m.put("CAN1", "ca-central-1");
        m.put("CAN2", "ca-west-1");
        m.put("SAE1", "sa-east-1");
        m.put("EUC1", "eu-central-1");
        m.put("EUC2", "eu-central-2");
        m.put("EUW1", "eu-west-1");
        m.put("EUW2", "eu-west-2");
        m.put("EUW3", "eu-west-3");
        m.put("EUN1", "eu-north-1");
        m.put("EUS1", "eu-south-1");
        m.put("EUS2", "eu-south-2");
        m.put("APN1", "ap-northeast-1");
        m.put("APN2", "ap-northeast-2");
        m.put("APN3", "ap-northeast-3");
        m.put("APS1", "ap-southeast-1");
        m.put("APS2", "ap-southeast-2");
        m.put("APS3", "ap-south-1");
        m.put("APS4", "ap-southeast-3");
        m.put("APS5", "ap-south-2");
        m.put("APS6", "ap-southeast-4");
        m.put("APS7", "ap-southeast-5");
        m.put("APE1", "ap-east-1");
        m.put("MEC1", "me-central-1");
        m.put("MES1", "me-south-1");
        m.put("AFS1", "af-south-1");
        m.put("ILC1", "il-central-1");
        m.put("UGW1", "us-gov-west-1");
        m.put("UGE1", "us-gov-east-1");
        CODE_TO_REGION = Collections.unmodifiableMap(m);
        Map<String, String> r = new LinkedHashMap<>();
        m.forEach((code, region) -> r.put(region, code));
        REGION_TO_CODE = Collections.unmodifiableMap(r);
    }

    private BillingRegions() {}

    /** The region of a billing code, or null when the code is not in the table. */
    public static String region(String billingCode) {
        return CODE_TO_REGION.get(billingCode);
    }

    /** The billing code of a region, or null when the region is not in the table. */
    public static String code(String region) {
        return REGION_TO_CODE.get(region);
    }

    public static Map<String, String> all() {
        return CODE_TO_REGION;
    }
}
