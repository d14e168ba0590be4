package io.bedrockspend.identity.export;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.iam.IamClient;

import java.net.URI;

/**
 * How the exporters build their SDK clients: the URL-connection HTTP client (no Netty/Apache on the
 * CLI's classpath needed), the SDK's standard retry strategy, and optionally an endpoint override
 * (VPC endpoints, tests) and explicit credentials (tests; otherwise the default provider chain).
 *
 * @param endpoint    null for the service's regional endpoint
 * @param credentials null for the SDK default provider chain
 * @param retry       null for the SDK's standard strategy (3 attempts, throttling-aware back-off)
 */
public record ExportClients(URI endpoint, AwsCredentialsProvider credentials, RetryStrategy retry) {

    public static ExportClients defaults(String endpoint) {
        return new ExportClients(endpoint == null ? null : URI.create(endpoint), null, null);
    }

    /**
     * IAM is a global service: without a region the client uses {@code aws-global} (signed for
     * us-east-1) rather than failing when no default region is configured. Other partitions
     * (aws-cn, aws-us-gov) need their region given.
     */
    public IamClient iam(String region) {
        var b = IamClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(region == null ? Region.AWS_GLOBAL : Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(retry != null ? retry : AwsRetryStrategy.standardRetryStrategy()));
        // no provider set: the client builds the default chain itself and closes it with the client
        if (credentials != null) b.credentialsProvider(credentials);
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }

    /** Bedrock control plane of one region (application inference profiles are regional). */
    public BedrockClient bedrock(String region) {
        var b = BedrockClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(retry != null ? retry : AwsRetryStrategy.standardRetryStrategy()));
        if (credentials != null) b.credentialsProvider(credentials);
        if (endpoint != null) b.endpointOverride(endpoint);
        return b.build();
    }
}
