package io.bedrockspend.identity;

import io.bedrockspend.Counters;
import io.bedrockspend.spend.PricedCall;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import java.util.Map;

/**
 * Attributes a call to its canonical principal and that principal's tags from the IAM seed.
 * Session tags from CloudTrail overlay these once the CloudTrail join is in place; the merge rule
 * ({@link TagMerge}) is already the final one.
 */
public class AttributeOperator extends RichMapFunction<PricedCall, PricedCall> {
    private final PrincipalTagSeed seed;
    private final String teamKey;
    private final String unattributedTeam;
    private transient Counters.Handle unattributed;

    public AttributeOperator(PrincipalTagSeed seed, String teamKey, String unattributedTeam) {
        this.seed = seed;
        this.teamKey = teamKey;
        this.unattributedTeam = unattributedTeam;
    }

    @Override
    public void open(OpenContext openContext) {
        unattributed = Counters.register(getRuntimeContext(), Counters.UNATTRIBUTED);
    }

    @Override
    public PricedCall map(PricedCall c) {
        c.principal = Principals.canonical(c.principalArn);
        Map<String, String> tags = TagMerge.effective(seed.tagsOf(c.principal), null);
        c.tags = tags;
        c.attribution = TagMerge.level(tags, teamKey).wire;
        String team = TagMerge.team(tags, teamKey);
        if (team == null) {
            unattributed.inc();
            team = unattributedTeam;
        }
        c.team = team;
        return c;
    }
}
