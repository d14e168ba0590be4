package io.bedrockspend.identity.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A local stand-in for an AWS endpoint: a JDK HttpServer on 127.0.0.1 that answers each request
 * with the recorded response routed to its key (see {@link #iamKey} and {@link #bedrockKey}) and
 * keeps every request it saw, so tests can check what the real SDK clients put on the wire.
 */
final class FakeAws implements AutoCloseable {
    /** One request as received; {@code params} holds the query string and, for form posts, the form fields. */
    record Request(String method, String path, Map<String, String> params, String body, String authorization) {
        String param(String name) {
            return params.get(name);
        }

        /** The region of the SigV4 credential scope ({@code Credential=AKID/date/REGION/service/aws4_request}). */
        String signingRegion() {
            int i = authorization == null ? -1 : authorization.indexOf("Credential=");
            if (i < 0) return null;
            String[] scope = authorization.substring(i + "Credential=".length()).split("[/,]");
            return scope.length > 2 ? scope[2] : null;
        }
    }

    record Response(int status, String contentType, Map<String, String> headers, String body) {}

    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    private final HttpServer server;
    private final Function<Request, String> keyOf;
    private final Map<String, Deque<Response>> routes = new HashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> misses = Collections.synchronizedList(new ArrayList<>());

    FakeAws(Function<Request, String> keyOf) throws IOException {
        this.keyOf = keyOf;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Clients as the exporters build them, pointed here, with the SDK allowed {@code sdkAttempts} attempts. */
    ExportClients clients(int sdkAttempts) {
        return new ExportClients(endpoint(), CREDENTIALS, AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(sdkAttempts)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                .build());
    }

    /** Answers {@code key} with these responses in turn; the last one repeats. */
    synchronized FakeAws on(String key, Response... responses) {
        routes.put(key, new ArrayDeque<>(List.of(responses)));
        return this;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Request> requests(String key) {
        return requests().stream().filter(r -> keyOf.apply(r).equals(key)).toList();
    }

    /** Keys of requests that had no recorded response (answered 404). */
    List<String> misses() {
        synchronized (misses) {
            return List.copyOf(misses);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> params = new LinkedHashMap<>(decodeForm(ex.getRequestURI().getRawQuery()));
            String ct = ex.getRequestHeaders().getFirst("Content-Type");
            if (ct != null && ct.startsWith("application/x-www-form-urlencoded")) params.putAll(decodeForm(body));
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), params, body,
                    ex.getRequestHeaders().getFirst("Authorization"));
            requests.add(req);
            String key = keyOf.apply(req);
            Response resp;
            synchronized (this) {
                Deque<Response> q = routes.get(key);
                resp = q == null ? null : q.size() > 1 ? q.poll() : q.peek();
            }
            if (resp == null) {
                misses.add(key);
                resp = new Response(404, "text/plain", Map.of(), "no recorded response for " + key);
            }
            byte[] bytes = resp.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", resp.contentType());
            ex.getResponseHeaders().add("x-amzn-RequestId", "4c5e0f6a-0000-4000-8000-" + String.format("%012d", requests.size()));
            resp.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(resp.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) ex.getResponseBody().write(bytes);
        }
    }

    static Map<String, String> decodeForm(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    // ---- IAM (AWS Query protocol: POST / with a form body; XML answers) ----

    /** {@code Action[ RoleName=…| UserName=…][ Marker=…]}: what identifies one recorded IAM response. */
    static String iamKey(Request r) {
        StringBuilder k = new StringBuilder(String.valueOf(r.param("Action")));
        if (r.param("RoleName") != null) k.append(" RoleName=").append(r.param("RoleName"));
        if (r.param("UserName") != null) k.append(" UserName=").append(r.param("UserName"));
        if (r.param("Marker") != null) k.append(" Marker=").append(r.param("Marker"));
        return k.toString();
    }

    static Response xml(String resource) {
        return new Response(200, "text/xml", Map.of(), fixture(resource));
    }

    /** IAM's throttling answer: HTTP 400 with an ErrorResponse, code {@code Throttling}. */
    static Response iamThrottling() {
        return new Response(400, "text/xml", Map.of(), fixture("export/iam/Throttling.xml"));
    }

    static Response iamError(int status, String resource) {
        return new Response(status, "text/xml", Map.of(), fixture(resource));
    }

    // ---- Bedrock control plane (REST-JSON) ----

    /** {@code REGION METHOD PATH[ nextToken=…][ resourceARN]}: region from the request's SigV4 scope. */
    static String bedrockKey(Request r) {
        StringBuilder k = new StringBuilder(r.signingRegion() + " " + r.method() + " " + r.path());
        if (r.param("nextToken") != null) k.append(" nextToken=").append(r.param("nextToken"));
        if (r.path().equals("/listTagsForResource")) {
            try {
                k.append(' ').append(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("resourceARN").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return k.toString();
    }

    static Response json(String resource) {
        return new Response(200, "application/json", Map.of(), fixture(resource));
    }

    /** Bedrock's throttling answer: HTTP 429, the error type in {@code x-amzn-ErrorType}. */
    static Response bedrockThrottling() {
        return new Response(429, "application/json",
                Map.of("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                "{\"message\":\"Too many requests, please wait before trying again.\"}");
    }

    static String fixture(String resource) {
        try (InputStream in = FakeAws.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
