package io.bedrockspend.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HTML report must open in a browser with no network: nothing it references may be fetched. Runs
 * the full scenario of {@link ReconcileJobTest} (every class of difference, so every chart and table is
 * drawn) and inspects the bytes of report.html.
 */
class ReportSelfContainedTest {

    @Test
    void reportHasNoExternalReferencesAndInlineCharts(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("ledger/calls.jsonl");
        CurGenerator.writeLedger(ledger, ReconcileJobTest.calls(), true);
        Path export = dir.resolve("cur/exports/bedrock-cost");
        CurGenerator.writeExport(export, "bedrock-cost", "2026-04", "20260510T000000Z",
                CurGenerator.bill(ReconcileJobTest.calls(), ReconcileJobTest.drift()), true, 2, true);
        ReconcileJobTest.Result r = ReconcileJobTest.reconcile(export, dir.resolve("ledger"), dir.resolve("out"));
        assertTrue(r.code() == 0 || r.code() == io.bedrockspend.cli.ReconcileCommand.DRIFT, r.err());

        byte[] bytes = Files.readAllBytes(dir.resolve("out/report.html"));
        String html = strictUtf8(bytes);
        List<String> problems = problems(html);
        assertTrue(problems.isEmpty(), "report.html would need the network:\n" + String.join("\n", problems));

        // charts are inline SVG (team small multiples, drift by usage type, top principals), each closed
        int open = count(html, "<svg"), close = count(html, "</svg>");
        assertTrue(open >= 4, "expected inline SVG charts, found " + open);
        assertEquals(open, close, "every <svg> is closed");
        assertTrue(html.contains("<rect"), "charts draw bars");
        assertTrue(html.contains("<meta charset=\"utf-8\">"), "declares its encoding");
        assertTrue(html.contains("price_drift") && html.contains("DataSci"), "the scenario's content is in the page");
    }

    /** The checker itself must catch each kind of external reference (so a pass above means something). */
    @Test
    void checkerCatchesEachKindOfExternalReference() {
        String[] bad = {
                "<script src=\"app.js\"></script>",
                "<SCRIPT SRC='//cdn.example.com/d3.js'></SCRIPT>",
                "<link rel=\"stylesheet\" href=\"https://cdn.example.com/x.css\">",
                "<link rel=\"icon\" href=\"favicon.ico\">",
                "<style>body{background:url(http://x/y.png)}</style>",
                "<style>@import 'theme.css';</style>",
                "<img src=\"chart.png\">",
                "<iframe src=\"about:blank\"></iframe>",
                "<a href=\"https://docs.aws.amazon.com/cur/\">docs</a>",
                "<p>see https://example.com</p>",
                "<svg><image href=\"x.png\"/></svg>",
                "<svg><use xlink:href=\"sprites.svg#a\"/></svg>",
                "<object data=\"x.svg\"></object>",
                "<style>@font-face{src:url(font.woff2)}</style>",
        };
        for (String b : bad) assertTrue(!problems("<html><body>" + b + "</body></html>").isEmpty(), "not caught: " + b);
        assertTrue(problems("<html><body><svg><rect class=\"a\"/><title>x</title></svg><a href=\"#top\">top</a>"
                + "<style>.x{fill:#fff}</style></body></html>").isEmpty(), "in-page references are fine");
    }

    static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            fail("report.html is not valid UTF-8: " + e);
            return null;
        }
    }

    private static final Pattern ATTR = Pattern.compile(
            "\\b(src|href|xlink:href|data|srcset|poster|background|action|formaction|manifest|ping)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CSS_URL = Pattern.compile("url\\s*\\(\\s*['\"]?([^'\")]*)", Pattern.CASE_INSENSITIVE);

    /** Everything in the page a browser would try to load; empty when the page is self-contained. */
    static List<String> problems(String html) {
        List<String> p = new ArrayList<>();
        String lower = html.toLowerCase(Locale.ROOT);
        if (lower.contains("http://") || lower.contains("https://")) p.add("an http(s) URL appears (even as text or a link)");
        if (lower.matches("(?s).*(?<![a-z0-9])//[a-z0-9-]+\\.[a-z].*") && lower.matches("(?s).*=\\s*['\"]?//.*")) {
            p.add("a protocol-relative URL");
        }
        if (lower.contains("@import")) p.add("a CSS @import");
        if (lower.matches("(?s).*<script[^>]*\\bsrc\\s*=.*")) p.add("a <script src>");
        for (String tag : List.of("<iframe", "<object", "<embed", "<img", "<link", "<audio", "<video", "<source", "<base")) {
            if (lower.contains(tag)) p.add("a " + tag + "> element");
        }
        Matcher m = ATTR.matcher(html);
        while (m.find()) {
            String v = m.group(2).replaceAll("^['\"]|['\"]$", "").trim();
            // in-page fragments only (#id); data: URIs would be inline but the report has no need for them
            if (!v.startsWith("#")) p.add("attribute " + m.group(1) + "=" + v);
        }
        Matcher u = CSS_URL.matcher(html);
        while (u.find()) if (!u.group(1).trim().startsWith("#")) p.add("CSS url(" + u.group(1) + ")");
        return p;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
