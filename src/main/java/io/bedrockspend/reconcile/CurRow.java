package io.bedrockspend.reconcile;

import java.math.BigDecimal;

/**
 * The CUR 2.0 columns reconciliation reads, from one line item. A Flink POJO (public fields, no-arg
 * constructor). Money and amounts are exact decimals: Parquet DECIMAL or strings are read as they
 * are, a DOUBLE column through its shortest decimal form ({@link BigDecimal#valueOf(double)}).
 */
public class CurRow {
    /** YYYY-MM from the {@code BILLING_PERIOD=} folder, else from bill_billing_period_start_date. */
    public String billingPeriod;
    public long usageStartMillis;
    public String accountId;
    public String lineItemType;
    public String productCode;
    public String productFamily;
    public String serviceCode;
    /** product['servicename'] / product['product_name'] (Marketplace model name), may be null. */
    public String productName;
    public String usageType;
    public BigDecimal usageAmount;
    public String pricingUnit;
    public BigDecimal unblendedCost;
    public String iamPrincipal;
    /** tags['iamPrincipal/team'] (or resource_tags['user_team']), may be null. */
    public String team;
    public String origin;

    public CurRow() {}
}
