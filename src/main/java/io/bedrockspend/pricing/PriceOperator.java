package io.bedrockspend.pricing;

import io.bedrockspend.Counters;
import io.bedrockspend.identity.AttributedCall;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.spend.PricedCall;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Prices each attributed call with the price book in force at its timestamp. */
public class PriceOperator extends RichMapFunction<AttributedCall, PricedCall> {
    private final PriceBook book;
    private transient Counters.Handle unpriced;
    private transient Counters.Handle errors;

    public PriceOperator(PriceBook book) {
        this.book = book;
    }

    @Override
    public void open(OpenContext openContext) {
        unpriced = Counters.register(getRuntimeContext(), Counters.UNPRICED);
        errors = Counters.register(getRuntimeContext(), Counters.ERRORS);
    }

    @Override
    public PricedCall map(AttributedCall a) {
        CallCost cost = book.price(a.call);
        if (!cost.isPriced()) unpriced.inc();
        if (a.call.errorCode != null) errors.inc();
        return toPricedCall(a, cost);
    }

    public static PricedCall toPricedCall(AttributedCall a, CallCost cost) {
        InvocationCall c = a.call;
        PricedCall p = new PricedCall();
        p.requestId = c.requestId;
        p.timestampMillis = c.timestampMillis;
        p.accountId = c.accountId;
        p.principalArn = c.identityArn;
        p.region = c.region;
        p.operation = c.operation;
        p.modelId = c.modelId;
        p.inferenceRegion = c.inferenceRegion;
        p.errorCode = c.errorCode;
        p.inputTokens = c.inputTokens;
        p.outputTokens = c.outputTokens;
        p.cacheReadTokens = c.cacheReadTokens;
        p.cacheWriteTokens = c.cacheWriteTokens;
        p.cacheWrite5mTokens = c.cacheWrite5mTokens();
        p.cacheWrite1hTokens = c.cacheWrite1hTokensKnown();
        p.cost = cost;
        p.principal = a.principal;
        p.tags = a.tags;
        p.tagSources = a.tagSources;
        p.principalPathArn = a.principalPathArn;
        p.sourceIdentity = a.sourceIdentity;
        p.onBehalfOf = a.onBehalfOf;
        p.attribution = a.attribution;
        p.team = a.team;
        return p;
    }
}
