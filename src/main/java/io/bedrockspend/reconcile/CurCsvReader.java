package io.bedrockspend.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CUR 2.0 CSV (already decompressed) row by row: RFC 4180 quoting (fields may hold commas,
 * quotes and newlines), a header row naming the columns, map columns as JSON text. Columns are
 * looked up by name, so column order and extra columns do not matter.
 */
final class CurCsvReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final BufferedReader in;
    private final String origin;
    private final String period;
    private final Map<String, Integer> index = new HashMap<>();
    private long line;

    CurCsvReader(InputStream decompressed, String origin) throws IOException {
        this.in = new BufferedReader(new InputStreamReader(decompressed, StandardCharsets.UTF_8), 1 << 16);
        this.origin = origin;
        this.period = CurColumns.period(origin);
        List<String> header = record();
        if (header == null) return; // empty file
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim();
            // some exporters write "line_item/UsageType"-style names; CUR 2.0 uses snake_case
            index.put(h.startsWith("\uFEFF") ? h.substring(1) : h, i);
        }
        for (String need : List.of(CurColumns.START, CurColumns.USAGE_TYPE, CurColumns.COST)) {
            if (!index.containsKey(need)) {
                throw new IOException(origin + ": not a CUR 2.0 CSV, column " + need + " missing from the header");
            }
        }
    }

    /** The next row, or null at the end. */
    CurRow next() throws IOException {
        List<String> r;
        do {
            r = record();
            if (r == null) return null;
        } while (r.size() == 1 && r.get(0).isEmpty()); // blank line
        try {
            CurRow c = new CurRow();
            c.origin = origin;
            c.usageStartMillis = CurColumns.parseTime(get(r, CurColumns.START));
            String ps = get(r, CurColumns.PERIOD_START);
            c.billingPeriod = period != null ? period : ps == null || ps.length() < 7 ? null : ps.substring(0, 7);
            c.accountId = get(r, CurColumns.ACCOUNT);
            c.lineItemType = get(r, CurColumns.TYPE);
            c.productCode = get(r, CurColumns.PRODUCT_CODE);
            c.serviceCode = get(r, CurColumns.SERVICE_CODE);
            c.usageType = get(r, CurColumns.USAGE_TYPE);
            c.usageAmount = CurColumns.decimal(get(r, CurColumns.AMOUNT));
            c.pricingUnit = get(r, CurColumns.PRICING_UNIT);
            c.unblendedCost = CurColumns.decimal(get(r, CurColumns.COST));
            c.iamPrincipal = get(r, CurColumns.PRINCIPAL);
            Map<String, String> product = map(get(r, CurColumns.PRODUCT));
            c.productFamily = CurColumns.familyFallback(get(r, CurColumns.FAMILY), product);
            c.productName = CurColumns.productName(product);
            c.team = CurColumns.teamFrom(map(get(r, CurColumns.TAGS)), map(get(r, CurColumns.RESOURCE_TAGS)));
            return c;
        } catch (RuntimeException e) {
            // a bad value is a bad export: fail loudly with the position rather than drop billed money
            throw new IOException(origin + " record ending at line " + line + ": " + e.getMessage(), e);
        }
    }

    private String get(List<String> r, String col) {
        Integer i = index.get(col);
        if (i == null || i >= r.size()) return null;
        return CurColumns.emptyToNull(r.get(i));
    }

    private static Map<String, String> map(String json) throws IOException {
        if (json == null || json.isEmpty() || json.equals("{}")) return null;
        return JSON.readValue(json, MAP);
    }

    /** One CSV record (RFC 4180), or null at end of input. */
    private List<String> record() throws IOException {
        int ch = in.read();
        if (ch < 0) return null;
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        while (true) {
            if (ch < 0) {
                fields.add(f.toString());
                return fields;
            }
            char c = (char) ch;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int n = in.read();
                    if (n == '"') f.append('"');
                    else { quoted = false; if (n >= 0) in.reset(); }
                } else {
                    if (c == '\n') line++;
                    f.append(c);
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
                fieldStart = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') { in.mark(1); if (in.read() != '\n') in.reset(); }
                line++;
                fields.add(f.toString());
                return fields;
            } else {
                f.append(c);
                fieldStart = false;
            }
            ch = in.read();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
