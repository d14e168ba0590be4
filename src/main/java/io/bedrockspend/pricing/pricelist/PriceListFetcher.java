package io.bedrockspend.pricing.pricelist;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.PricingClientBuilder;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;
import software.amazon.awssdk.services.pricing.model.GetProductsResponse;
import software.amazon.awssdk.services.pricing.model.PricingException;
import software.amazon.awssdk.services.pricing.model.ThrottlingException;

/**
 * Pulls Bedrock products from the AWS Price List Query API ({@code pricing:GetProducts}) for each
 * region and all three Bedrock offer codes (Marketplace-sold Claude is not in {@code AmazonBedrock};
 * some newer models are only in {@code AmazonBedrockService}: pricing.md §7.1).
 *
 * <p>Throttling: the SDK's standard retry strategy retries first; when it gives up with a
 * {@code ThrottlingException} we back off again (capped exponential, full jitter) and retry the
 * same page, because a long paginated pull should not lose all its pages to a burst limit.
 */
public final class PriceListFetcher {
    public static final List<String> SERVICE_CODES =
            List.of("AmazonBedrock", "AmazonBedrockFoundationModels", "AmazonBedrockService");
    /** The Price List API is served from us-east-1 (also ap-south-1, eu-central-1). */
    public static final Region API_REGION = Region.US_EAST_1;
    private static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 10_000;

    /** Sleeps between throttled attempts; replaced in tests. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Back-off settings for the explicit ThrottlingException handling. */
    public record Backoff(int maxAttempts, Duration base, Duration cap) {
        public static Backoff defaults() {
            return new Backoff(8, Duration.ofMillis(500), Duration.ofSeconds(30));
        }

        /** Full jitter: uniform in [0, min(cap, base x 2^(attempt-1))]. */
        Duration delay(int attempt, Random random) {
            long ceiling = base.toMillis() << Math.min(attempt - 1, 20);
            ceiling = Math.min(cap.toMillis(), ceiling);
            return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
        }
    }

    private final PricingClient client;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Random random;
    private final Consumer<String> log;
    private final List<String> warnings = new ArrayList<>();
    private int throttled;
    private int pages;

    public PriceListFetcher(PricingClient client, Backoff backoff, Sleeper sleeper, Random random, Consumer<String> log) {
        this.client = client;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.random = random;
        this.log = log == null ? s -> { } : log;
    }

    /**
     * A client for the real API (or {@code endpoint} when given, for tests and mirrors): region
     * us-east-1, the URL-connection HTTP client, the SDK standard retry strategy with
     * {@code sdkMaxAttempts} attempts, credentials from {@code credentials} or the default chain.
     */
    public static PricingClient client(URI endpoint, AwsCredentialsProvider credentials, int sdkMaxAttempts) {
        PricingClientBuilder b = PricingClient.builder()
                .region(API_REGION)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(sdkMaxAttempts).build()));
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    /** Fetches every product of every region and offer into {@code into}. */
    public void fetch(List<String> regions, SnapshotAssembler into) throws IOException, InterruptedException {
        for (String region : regions) {
            for (String serviceCode : SERVICE_CODES) {
                int n = fetchOne(serviceCode, region, into);
                log.accept(serviceCode + " " + region + ": " + n + " products");
                if (n == 0) {
                    warnings.add(serviceCode + " returned no products for regionCode " + region);
                }
            }
        }
    }

    private int fetchOne(String serviceCode, String region, SnapshotAssembler into)
            throws IOException, InterruptedException {
        String token = null;
        Set<String> tokens = new HashSet<>();
        int products = 0;
        for (int page = 0; ; page++) {
            if (page >= MAX_PAGES) {
                throw new IOException(serviceCode + " " + region + ": more than " + MAX_PAGES + " pages");
            }
            GetProductsRequest.Builder req = GetProductsRequest.builder()
                    .serviceCode(serviceCode)
                    .formatVersion("aws_v1")
                    .maxResults(PAGE_SIZE)
                    .filters(Filter.builder().type(FilterType.TERM_MATCH).field("regionCode").value(region).build());
            if (token != null) {
                req.nextToken(token);
            }
            GetProductsResponse resp = callWithBackoff(req.build());
            pages++;
            for (String element : resp.priceList()) {
                products++;
                try {
                    into.add(serviceCode, region, PriceListProduct.parse(element));
                } catch (IOException e) {
                    into.addUnparseable(serviceCode, region, e.getMessage());
                }
            }
            token = resp.nextToken();
            if (token == null || token.isEmpty()) {
                return products;
            }
            if (!tokens.add(token)) {
                throw new IOException(serviceCode + " " + region + ": the API repeated NextToken " + token);
            }
        }
    }

    private GetProductsResponse callWithBackoff(GetProductsRequest req) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.getProducts(req);
            } catch (PricingException e) {
                if (!(e instanceof ThrottlingException) && !e.isThrottlingException()) {
                    throw e;
                }
                if (attempt >= backoff.maxAttempts()) {
                    throw e;
                }
                throttled++;
                Duration d = backoff.delay(attempt, random);
                log.accept("throttled on " + req.serviceCode() + " (attempt " + attempt + "), retrying in " + d.toMillis() + " ms");
                sleeper.sleep(d);
            }
        }
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Throttled calls that we (not the SDK) retried. */
    public int throttledRetries() {
        return throttled;
    }

    public int pages() {
        return pages;
    }
}
