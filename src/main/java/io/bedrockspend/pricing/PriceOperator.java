package io.bedrockspend.pricing;

import io.bedrockspend.Counters;
import io.bedrockspend.identity.AttributedCall;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.spend.PricedCall;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices each attributed call with the price book in force at its timestamp. The book the job
 * started with is replaced when the pricing folder changes (broadcast, so every subtask switches;
 * kept in broadcast state, so a restarted job prices with the latest valid folder). A folder that
 * does not load keeps the prices in force.
 */
public class PriceOperator extends BroadcastProcessFunction<AttributedCall, PricingUpdate, PricedCall> {
    private static final Logger LOG = LoggerFactory.getLogger(PriceOperator.class);
    public static final MapStateDescriptor<String, PricingUpdate> PRICING = new MapStateDescriptor<>(
            "pricing-folder", Types.STRING, TypeInformation.of(PricingUpdate.class));
    private static final String CURRENT = "current";

    private final Pricer pricer;
    private transient String bookFingerprint;
    /** The broadcast folder last looked at: unchanged state is the same object, so no per-call fingerprinting. */
    private transient PricingUpdate seen;
    private transient Counters.Handle reloads;
    private transient Counters.Handle rejectedReloads;

    public PriceOperator(PriceBook initial, Map<String, String> applicationProfiles) {
        this.pricer = new Pricer(initial, applicationProfiles);
    }

    @Override
    public void open(OpenContext openContext) {
        pricer.open(getRuntimeContext());
        reloads = Counters.register(getRuntimeContext(), "pricing_reloads");
        rejectedReloads = Counters.register(getRuntimeContext(), "pricing_reloads_rejected");
    }

    @Override
    public void processElement(AttributedCall a, ReadOnlyContext ctx, Collector<PricedCall> out) throws Exception {
        PricingUpdate current = ctx.getBroadcastState(PRICING).get(CURRENT);
        if (current != null && current != seen) {
            seen = current;
            if (!current.fingerprint().equals(bookFingerprint)) {
                // a restored or newly broadcast folder: build its book once per subtask
                pricer.use(load(current));
                bookFingerprint = current.fingerprint();
            }
        }
        out.collect(pricer.price(a));
    }

    /** Prices one call with the book in force (the application-profile map applied) and counts it. */
    static final class Pricer implements java.io.Serializable {
        private final PriceBook initial;
        private final Map<String, String> applicationProfiles;
        private transient PriceBook book;
        private transient Counters.Handle unpriced;
        private transient Counters.Handle errors;

        Pricer(PriceBook initial, Map<String, String> applicationProfiles) {
            this.initial = initial;
            this.applicationProfiles = applicationProfiles == null ? Map.of() : new TreeMap<>(applicationProfiles);
        }

        void open(org.apache.flink.api.common.functions.RuntimeContext ctx) {
            book = initial.withApplicationProfiles(applicationProfiles);
            unpriced = Counters.register(ctx, Counters.UNPRICED);
            errors = Counters.register(ctx, Counters.ERRORS);
        }

        void use(PriceBook loaded) {
            book = loaded.withApplicationProfiles(applicationProfiles);
        }

        PricedCall price(AttributedCall a) {
            CallCost cost = book.price(a.call);
            if (!cost.isPriced()) unpriced.inc();
            if (a.call.errorCode != null) errors.inc();
            return toPricedCall(a, cost);
        }
    }

    /**
     * Batch runs: the book the job started with, no reload input. One input, so it chains to the
     * identity join instead of taking every call through a shuffle.
     */
    public static class FixedBook extends org.apache.flink.streaming.api.functions.ProcessFunction<AttributedCall, PricedCall> {
        private final Pricer pricer;

        public FixedBook(PriceBook initial, Map<String, String> applicationProfiles) {
            this.pricer = new Pricer(initial, applicationProfiles);
        }

        @Override
        public void open(OpenContext openContext) {
            pricer.open(getRuntimeContext());
        }

        @Override
        public void processElement(AttributedCall a, Context ctx, Collector<PricedCall> out) {
            out.collect(pricer.price(a));
        }
    }

    @Override
    public void processBroadcastElement(PricingUpdate u, Context ctx, Collector<PricedCall> out) throws Exception {
        if (u.error != null) {
            rejectedReloads.inc();
            return;
        }
        try {
            load(u); // validate before it replaces anything
        } catch (IOException e) {
            LOG.warn("pricing folder {} does not load, prices in force stay: {}", u.folder, e.getMessage());
            rejectedReloads.inc();
            return;
        }
        ctx.getBroadcastState(PRICING).put(CURRENT, u);
        reloads.inc();
    }

    static PriceBook load(PricingUpdate u) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        u.files.forEach((name, text) -> files.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return PriceBook.fromContents(files);
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
