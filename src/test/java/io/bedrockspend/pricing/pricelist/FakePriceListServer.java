package io.bedrockspend.pricing.pricelist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local stand-in for the Price List Query API (JSON 1.1 protocol) replaying the recorded pages in
 * src/test/resources/pricelist: the first page of a service code is {@code <ServiceCode>-page1},
 * later pages are named by their NextToken. Only regionCode us-east-1 has products. Can answer
 * {@code ThrottlingException} (HTTP 400) a given number of times for a page.
 */
public final class FakePriceListServer implements AutoCloseable {
    static final String TARGET = "AWSPriceListService.GetProducts";
    private static final ObjectMapper OM = new ObjectMapper();

    /** One request as received. */
    public record Request(String target, String contentType, String authorization, JsonNode body, String page, int status) {}

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> throttles = new HashMap<>();

    public FakePriceListServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answer the given page with ThrottlingException {@code times} times before serving it. */
    public synchronized void throttle(String page, int times) {
        throttles.put(page, times);
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            JsonNode body = OM.readTree(ex.getRequestBody().readAllBytes());
            if (!"POST".equals(ex.getRequestMethod()) || !TARGET.equals(target)) {
                requests.add(new Request(target, contentType, auth, body, null, 400));
                error(ex, 400, "UnknownOperationException", "unexpected " + ex.getRequestMethod() + " " + target);
                return;
            }
            String service = body.path("ServiceCode").asText();
            String token = body.hasNonNull("NextToken") ? body.get("NextToken").asText() : null;
            String region = null;
            for (JsonNode f : body.path("Filters")) {
                if ("regionCode".equals(f.path("Field").asText()) && "TERM_MATCH".equals(f.path("Type").asText())) {
                    region = f.path("Value").asText();
                }
            }
            String page = token != null ? token : service + "-page1";
            synchronized (this) {
                Integer left = throttles.get(page);
                if (left != null && left > 0) {
                    throttles.put(page, left - 1);
                    requests.add(new Request(target, contentType, auth, body, page, 400));
                    error(ex, 400, "ThrottlingException", "Rate exceeded");
                    return;
                }
            }
            byte[] out;
            if (!"us-east-1".equals(region)) {
                out = "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[]}".getBytes(StandardCharsets.UTF_8);
            } else {
                try (InputStream in = FakePriceListServer.class.getResourceAsStream("/pricelist/" + page + ".json")) {
                    if (in == null) {
                        requests.add(new Request(target, contentType, auth, body, page, 400));
                        error(ex, 400, "InvalidNextTokenException", "no page " + page);
                        return;
                    }
                    out = in.readAllBytes();
                }
            }
            requests.add(new Request(target, contentType, auth, body, page, 200));
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.getResponseHeaders().set("x-amzn-RequestId", "req-" + requests.size());
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        byte[] out = ("{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().set("x-amzn-ErrorType", type);
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
