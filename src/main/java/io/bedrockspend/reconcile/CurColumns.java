package io.bedrockspend.reconcile;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Fills a {@link CurRow} from named column values, the same way for CSV text and Parquet values. */
final class CurColumns {
    static final String START = "line_item_usage_start_date";
    static final String PERIOD_START = "bill_billing_period_start_date";
    static final String ACCOUNT = "line_item_usage_account_id";
    static final String TYPE = "line_item_line_item_type";
    static final String PRODUCT_CODE = "line_item_product_code";
    static final String FAMILY = "product_product_family";
    static final String SERVICE_CODE = "product_servicecode";
    static final String USAGE_TYPE = "line_item_usage_type";
    static final String AMOUNT = "line_item_usage_amount";
    static final String PRICING_UNIT = "pricing_unit";
    static final String COST = "line_item_unblended_cost";
    static final String PRINCIPAL = "line_item_iam_principal";
    static final String PRODUCT = "product";
    static final String TAGS = "tags";
    static final String RESOURCE_TAGS = "resource_tags";

    /** Every column read; the rest of a CUR export is never materialized. */
    static final List<String> ALL = List.of(START, PERIOD_START, ACCOUNT, TYPE, PRODUCT_CODE, FAMILY, SERVICE_CODE,
            USAGE_TYPE, AMOUNT, PRICING_UNIT, COST, PRINCIPAL, PRODUCT, TAGS, RESOURCE_TAGS);

    private CurColumns() {}

    static String period(String path) {
        int i = path.indexOf("BILLING_PERIOD=");
        if (i < 0) return null;
        String p = path.substring(i + "BILLING_PERIOD=".length());
        return p.length() >= 7 ? p.substring(0, 7) : null;
    }

    static String teamFrom(Map<String, String> tags, Map<String, String> resourceTags) {
        String t = tags == null ? null : tags.get("iamPrincipal/team");
        if (t == null && resourceTags != null) t = resourceTags.get("user_team");
        return t == null || t.isEmpty() ? null : t;
    }

    static String productName(Map<String, String> product) {
        if (product == null) return null;
        String n = product.get("servicename");
        return n != null ? n : product.get("product_name");
    }

    static String familyFallback(String family, Map<String, String> product) {
        if (family != null && !family.isEmpty()) return family;
        return product == null ? null : product.get("product_family");
    }

    /** ISO-8601 instants ("…Z", "…+00:00"), "YYYY-MM-DD HH:MM:SS" (UTC) or a bare date. */
    static long parseTime(String s) {
        String t = s.trim();
        try {
            if (t.length() == 10) return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return java.time.OffsetDateTime.parse(t.replace(' ', 'T')).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Instant.parse(t).toEpochMilli();
        }
    }

    static BigDecimal decimal(String s) {
        if (s == null) return null;
        String t = s.trim();
        return t.isEmpty() ? null : new BigDecimal(t);
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
