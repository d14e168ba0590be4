package io.bedrockspend.reconcile;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One classified key: both sides, the difference, what explains it and whether it breaks tolerance.
 * A Flink POJO: classified inside the job, then written as a CSV row and folded into {@link ReconSummary}.
 */
public class ReconRow {
    public KeyResult k;
    /** billed usage + adjustments − estimate. */
    public BigDecimal difference;
    /** billed usage − estimate (adjustments excluded). */
    public BigDecimal usageDifference;
    /** The difference split by class; the parts add up to {@link #difference} exactly. */
    @TypeInfo(DecimalMapTypeInfo.class)
    public Map<String, BigDecimal> components = new LinkedHashMap<>();
    public String cls = Classifier.MATCH;
    public String reason = "";
    public boolean isFinal;
    public boolean insideDelay;
    public boolean breach;
    public String team;
    /** Estimated and billed rates per 1M tokens when both sides have tokens (null otherwise). */
    public BigDecimal estimatedRatePerM;
    public BigDecimal billedRatePerM;

    private transient UsageType parsed;
    private transient boolean parsedDone;

    public ReconRow() {}

    ReconRow(KeyResult k) {
        this.k = k;
    }

    /** The key's usage type parsed (null for shapes that are not per-token usage); not serialized. */
    UsageType parsed() {
        if (!parsedDone) {
            parsed = UsageTypeParser.parse(k.usageType);
            parsedDone = true;
        }
        return parsed;
    }

    void add(String cls, BigDecimal amount) {
        if (amount.signum() == 0) return;
        components.merge(cls, amount, BigDecimal::add);
    }

    BigDecimal component(String cls) {
        return components.getOrDefault(cls, BigDecimal.ZERO);
    }

    /** billed usage + adjustments. */
    BigDecimal billed() {
        return k.billedUsage.add(k.adjustments);
    }

    /** Class components as Flink's MapSerializer (not Kryo). */
    public static final class DecimalMapTypeInfo extends TypeInfoFactory<Map<String, BigDecimal>> {
        @Override
        public TypeInformation<Map<String, BigDecimal>> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return Types.MAP(Types.STRING, Types.BIG_DEC);
        }
    }
}
