package io.bedrockspend.pricing;

import static io.bedrockspend.pricing.Calls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Prices calls against the committed seed snapshot; expected values are worked by hand. */
class SeedPricingTest {
    static final String SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
    static final String APP_PROFILE = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123";

    static PriceBook book;

    @BeforeAll
    static void load() throws Exception {
        book = PriceBook.load(Path.of("pricing-snapshots"))
                .withApplicationProfiles(Map.of(APP_PROFILE, "us." + HAIKU_45));
    }

    static Arguments priced(String why, Calls call, String total, String band, String routing) {
        return Arguments.of(why, call, total, band, routing);
    }

    static Stream<Arguments> pricedCalls() {
        return Stream.of(
                // 1000 x 3.00 / 1e6 = 0.003; 500 x 15.00 / 1e6 = 0.0075
                priced("Sonnet 4.5 global", call("global." + SONNET_45, "us-east-1", "2026-01-10").tokens(1000, 500),
                        "0.0105", "standard", "global"),
                // 1000 x 3.30 = 0.0033; 500 x 16.50 = 0.00825 (1.1 x global)
                priced("Sonnet 4.5 us. profile", call("us." + SONNET_45, "us-east-1", "2026-01-10").tokens(1000, 500),
                        "0.01155", "standard", "regional"),
                priced("Sonnet 4.5 in-region id, us-west-2 shares the US price",
                        call(SONNET_45, "us-west-2", "2026-01-10").tokens(1000, 500), "0.01155", "standard", "regional"),
                // 2000x1=0.002; 300x5=0.0015; read 10000x0.1=0.001; write(5m assumed) 4000x1.25=0.005
                priced("Haiku 4.5 global, every kind", call("global." + HAIKU_45, "us-east-1", "2026-01-10")
                        .tokens(2000, 300).cacheRead(10_000).cacheWrite(4000), "0.0095", "standard", "global"),
                // 2000x1.1=0.0022; 300x5.5=0.00165; 10000x0.11=0.0011; 4000x1.375=0.0055
                priced("Haiku 4.5 regional, every kind", call("us." + HAIKU_45, "us-east-2", "2026-01-10")
                        .tokens(2000, 300).cacheRead(10_000).cacheWrite(4000), "0.01045", "standard", "regional"),
                // 5m: 3000x1.25=0.00375; 1h: 1000x2.00=0.002
                priced("Haiku 4.5 global, known 1h split", call("global." + HAIKU_45, "us-east-1", "2026-01-10")
                        .cacheWriteSplit(4000, 1000), "0.00575", "standard", "global"),
                // 1000x1.05=0.00105; 1000x4.2=0.0042
                priced("Nova Pro eu. profile", call("eu.amazon.nova-pro-v1:0", "eu-west-1", "2025-06-01").tokens(1000, 1000),
                        "0.00525", "standard", "regional"),
                // 10000x0.063=0.00063; 1000x0.252=0.000252
                priced("Nova Lite apac. profile from Tokyo", call("apac.amazon.nova-lite-v1:0", "ap-northeast-1", "2025-06-01")
                        .tokens(10_000, 1000), "0.000882", "standard", "regional"),
                // 1e6 x 0.046 = 0.046: in-region id in eu-central-1 falls back to the eu geo price
                priced("Nova Micro in-region eu-central-1", call("amazon.nova-micro-v1:0", "eu-central-1", "2025-06-01")
                        .tokens(1_000_000, 0), "0.046", "standard", "regional"),
                // 1000x0.8=0.0008; 1000x3.2=0.0032; read 4000x0.2=0.0008
                priced("Nova Pro us. with cache read", call("us.amazon.nova-pro-v1:0", "us-east-2", "2025-06-01")
                        .tokens(1000, 1000).cacheRead(4000), "0.0048", "standard", "regional"),
                // 1000x3=0.003; 1000x15=0.015
                priced("3.5 Sonnet v2 on 2025-11-30", call("anthropic.claude-3-5-sonnet-20241022-v2:0", "us-east-1", "2025-11-30")
                        .tokens(1000, 1000), "0.018", "standard", "regional"),
                // 1000x6=0.006; 1000x30=0.03
                priced("3.5 Sonnet v2 from 2025-12-01", call("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "us-east-1", "2025-12-01")
                        .tokens(1000, 1000), "0.036", "standard", "regional"),
                // 1000x2=0.002; 1000x10=0.01
                priced("Sonnet 5 promo", call("global.anthropic.claude-sonnet-5", "us-east-1", "2026-07-15").tokens(1000, 1000),
                        "0.012", "standard", "global"),
                // 1000x2.2=0.0022; 1000x11=0.011
                priced("Sonnet 5 regional, last promo day", call("us.anthropic.claude-sonnet-5", "us-east-1", "2026-08-31")
                        .tokens(1000, 1000), "0.0132", "standard", "regional"),
                // 1000x3=0.003; 1000x15=0.015
                priced("Sonnet 5 standard from 2026-09-01", call("global.anthropic.claude-sonnet-5", "us-east-1", "2026-09-01")
                        .tokens(1000, 1000), "0.018", "standard", "global"),
                // 1000x1=0.001; 1000x5=0.005 (launch price)
                priced("3.5 Haiku launch price", call("anthropic.claude-3-5-haiku-20241022-v1:0", "us-east-1", "2024-11-20")
                        .tokens(1000, 1000), "0.006", "standard", "regional"),
                // 1000x0.8=0.0008; 1000x4=0.004
                priced("3.5 Haiku after the cut", call("anthropic.claude-3-5-haiku-20241022-v1:0", "us-east-1", "2024-12-15")
                        .tokens(1000, 1000), "0.0048", "standard", "regional"),
                // prompt 150000+60000 = 210000 > 200000: 150000x6=0.9; read 60000x0.6=0.036; 1000x22.5=0.0225
                priced("Sonnet 4.5 global above 200K", call("global." + SONNET_45, "us-east-1", "2026-01-10")
                        .tokens(150_000, 1000).cacheRead(60_000), "0.9585", "long", "global"),
                // exactly 200000 is not above: 200000x3=0.6; 1000x15=0.015
                priced("Sonnet 4.5 global at exactly 200K", call("global." + SONNET_45, "us-east-1", "2026-01-10")
                        .tokens(200_000, 1000), "0.615", "standard", "global"),
                // 250000x6.6=1.65; 2000x24.75=0.0495
                priced("Sonnet 4.5 regional above 200K", call("us." + SONNET_45, "us-east-1", "2026-01-10")
                        .tokens(250_000, 2000), "1.6995", "long", "regional"),
                // launch tier: 300000x10=3.0; 1000x37.5=0.0375
                priced("Opus 4.6 global long tier at launch", call("global.anthropic.claude-opus-4-6-v1", "us-east-1", "2026-03-01")
                        .tokens(300_000, 1000), "3.0375", "long", "global"),
                // tier removed: 300000x5=1.5; 1000x25=0.025
                priced("Opus 4.6 flat after the tier removal", call("global.anthropic.claude-opus-4-6-v1:0", "us-east-1", "2026-04-01")
                        .tokens(300_000, 1000), "1.525", "standard", "global"),
                // batch 0.5 x (1.00, 5.00): 1e6x0.5=0.5; 1e6x2.5=2.5
                priced("Haiku 4.5 global batch", call("global." + HAIKU_45, "us-east-1", "2026-01-10").tier("batch")
                        .tokens(1_000_000, 1_000_000), "3.0", "standard", "global"),
                // latency-optimized 1.00/4.00: 1000x1=0.001; 1000x4=0.004
                priced("Nova Pro latency-optimized", call("us.amazon.nova-pro-v1:0", "us-east-1", "2025-06-01").tier("optimized")
                        .tokens(1000, 1000), "0.005", "standard", "regional"),
                // GovCloud 1.20: 1000x1.2=0.0012
                priced("Haiku 4.5 GovCloud", call("us-gov." + HAIKU_45, "us-gov-west-1", "2026-01-10").tokens(1000, 0),
                        "0.0012", "standard", "regional"),
                // exact-region scope beats the geo: 1000x2.86=0.00286; 1000x3.78=0.00378
                priced("Llama 3 70B eu-west-1 region price", call("meta.llama3-70b-instruct-v1:0", "eu-west-1", "2025-06-01")
                        .tokens(1000, 1000), "0.00664", "standard", "regional"),
                // 1000x2.65=0.00265; 1000x3.5=0.0035
                priced("Llama 3 70B us-east-1", call("meta.llama3-70b-instruct-v1:0", "us-east-1", "2025-06-01")
                        .tokens(1000, 1000), "0.00615", "standard", "regional"),
                priced("foundation-model ARN", call("arn:aws:bedrock:us-east-1::foundation-model/" + SONNET_45, "us-east-1",
                        "2026-01-10").tokens(1000, 500), "0.01155", "standard", "regional"),
                priced("system inference-profile ARN", call("arn:aws:bedrock:us-east-1:111122223333:inference-profile/global."
                        + SONNET_45, "us-east-1", "2026-01-10").tokens(1000, 500), "0.0105", "standard", "global"),
                // mapped to us.Haiku 4.5: 1000x1.1=0.0011; 1000x5.5=0.0055
                priced("application profile via the map", call(APP_PROFILE, "us-east-1", "2026-01-10").tokens(1000, 1000),
                        "0.0066", "standard", "regional"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pricedCalls")
    void pricesCall(String why, Calls call, String total, String band, String routing) {
        CallCost cost = book.price(call.build());
        assertEquals(CallCost.PRICED, cost.status, () -> call + ": " + cost.reason);
        assertEquals(0, new BigDecimal(total).compareTo(cost.total), () -> call + " total " + cost.total);
        assertEquals(band, cost.contextBand);
        assertEquals(routing, cost.routingClass);
        assertEquals("2026-11-23-reference", cost.snapshotId);
        assertNull(cost.reason);
        BigDecimal sum = cost.input.add(cost.output).add(cost.cacheRead).add(cost.cacheWrite5m).add(cost.cacheWrite1h);
        assertEquals(0, sum.compareTo(cost.total), "parts add up to the total");
    }

    @Test
    void perKindAmountsAndTtlAssumption() {
        CallCost assumed = book.price(call("global." + HAIKU_45, "us-east-1", "2026-01-10")
                .tokens(2000, 300).cacheRead(10_000).cacheWrite(4000).build());
        assertEquals(0, new BigDecimal("0.002").compareTo(assumed.input));       // 2000 x 1.00
        assertEquals(0, new BigDecimal("0.0015").compareTo(assumed.output));     // 300 x 5.00
        assertEquals(0, new BigDecimal("0.001").compareTo(assumed.cacheRead));   // 10000 x 0.10
        assertEquals(0, new BigDecimal("0.005").compareTo(assumed.cacheWrite5m)); // 4000 x 1.25
        assertEquals(0, BigDecimal.ZERO.compareTo(assumed.cacheWrite1h));
        assertTrue(assumed.cacheTtlAssumed);

        CallCost split = book.price(call("global." + HAIKU_45, "us-east-1", "2026-01-10").cacheWriteSplit(4000, 1000).build());
        assertEquals(0, new BigDecimal("0.00375").compareTo(split.cacheWrite5m)); // 3000 x 1.25
        assertEquals(0, new BigDecimal("0.002").compareTo(split.cacheWrite1h));   // 1000 x 2.00
        assertFalse(split.cacheTtlAssumed);
    }

    @Test
    void exactToTheNanoDollar() {
        // 1 token x 0.00875 / 1e6 = 0.00000000875: no rounding on the way
        CallCost c = book.price(call("amazon.nova-micro-v1:0", "us-east-1", "2025-06-01").cacheRead(1).build());
        assertEquals(0, new BigDecimal("0.00000000875").compareTo(c.total));
    }

    static Stream<Arguments> unpricedCalls() {
        return Stream.of(
                Arguments.of(call("foo.bar-v1", "us-east-1", "2026-01-10").tokens(10, 10),
                        "no price for model foo.bar-v1 (regional, us-east-1, standard)"),
                Arguments.of(call("anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", "2025-06-01").tokens(10, 10).cacheRead(5),
                        "no cacheRead rate"),
                Arguments.of(call("us.amazon.nova-pro-v1:0", "us-east-1", "2025-06-01").tokens(10, 10).cacheWrite(5),
                        "no cacheWrite5m rate"),
                Arguments.of(call("anthropic.claude-3-7-sonnet-20250219-v1:0", "us-east-1", "2025-06-01").cacheWriteSplit(10, 5),
                        "no cacheWrite1h rate"),
                Arguments.of(call("us.amazon.nova-pro-v1:0", "us-east-1", "2025-06-01").tier("priority").tokens(10, 10),
                        "no output rate"),
                Arguments.of(call("global.anthropic.claude-sonnet-4-6", "us-east-1", "2026-03-01").tokens(250_000, 10).cacheRead(5),
                        "no cacheRead rate for anthropic.claude-sonnet-4-6 (global, *, standard, long)"),
                Arguments.of(call("eu." + HAIKU_45, "eu-west-1", "2026-01-10").tokens(10, 10),
                        "no price for model " + HAIKU_45 + " (regional, eu-west-1, standard)"),
                Arguments.of(call("global." + HAIKU_45, "us-east-1", "2026-01-10").tier("reserved").tokens(10, 10),
                        "unknown service tier 'reserved'"),
                Arguments.of(call("global.anthropic.claude-sonnet-5", "us-east-1", "2026-06-29").tokens(10, 10),
                        "no price for model anthropic.claude-sonnet-5 (global, us-east-1, standard)"),
                Arguments.of(call(SONNET_45, "us-east-1", "2022-06-01").tokens(10, 10),
                        "no pricing snapshot in force on 2022-06-01"),
                Arguments.of(call("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/zzz", "us-east-1",
                        "2026-01-10").tokens(10, 10), "unresolved application inference profile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unpricedCalls")
    void unpricedNeverZero(Calls call, String reason) {
        CallCost cost = book.price(call.build());
        assertEquals(CallCost.UNPRICED, cost.status);
        assertTrue(cost.reason.startsWith(reason) || cost.reason.contains(reason), cost.reason);
        assertNull(cost.total);
        assertNull(cost.input);
        assertNull(cost.output);
        assertFalse(cost.isPriced());
    }

    @Test
    void failedCallWithoutTokensCostsZeroEvenForAnUnknownModel() {
        CallCost cost = book.price(call("foo.bar-v1", "us-east-1", "2026-01-10").error("ThrottlingException").build());
        assertEquals(CallCost.ERROR, cost.status);
        assertEquals(0, BigDecimal.ZERO.compareTo(cost.total));
        assertEquals(0, BigDecimal.ZERO.compareTo(cost.input));
    }

    @Test
    void failedCallIsPricedFromItsTokens() {
        // 1000 x 1.10 = 0.0011
        CallCost cost = book.price(call("us." + HAIKU_45, "us-east-1", "2026-01-10").tokens(1000, 0)
                .error("ModelStreamErrorException").build());
        assertEquals(CallCost.ERROR, cost.status);
        assertEquals(0, new BigDecimal("0.0011").compareTo(cost.total));
    }

    @Test
    void failedCallWithTokensButNoPriceStaysAnErrorWithoutAmounts() {
        CallCost cost = book.price(call("foo.bar-v1", "us-east-1", "2026-01-10").tokens(10, 0).error("X").build());
        assertEquals(CallCost.ERROR, cost.status);
        assertNull(cost.total);
        assertNotNull(cost.reason);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(book);
        }
        PriceBook copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (PriceBook) in.readObject();
        }
        CallCost cost = copy.price(call(APP_PROFILE, "us-east-1", "2026-01-10").tokens(1000, 1000).build());
        assertEquals(0, new BigDecimal("0.0066").compareTo(cost.total));
        assertEquals(book.snapshotIds(), copy.snapshotIds());
    }
}
