package io.bedrockspend.pricing.pricelist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bedrockspend.pricing.PriceBook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes what a fetch assembled: the snapshot {@code DIR/<effectiveFrom>-pricelist.json} (checked
 * with the same reader as {@link PriceBook#load} before it is put in place) and the report of rows
 * that did not become rates, {@code DIR/reports/unclassified-<effectiveFrom>.json}. The report goes
 * in a sub-folder because every {@code *.json} directly in the pricing folder is read as a snapshot.
 */
public final class PriceListSnapshotWriter {
    private static final ObjectMapper OM = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was written. */
    public record Written(Path snapshot, Path report, int entries, Map<String, Integer> reportedByCategory) {}

    private PriceListSnapshotWriter() {}

    public static String snapshotId(LocalDate effectiveFrom) {
        return effectiveFrom + "-pricelist";
    }

    public static Written write(SnapshotAssembler a, Path dir, Path reportFile, LocalDate effectiveFrom,
            Instant fetchedAt, List<String> regions, List<String> warnings, boolean overwrite) throws IOException {
        Files.createDirectories(dir);
        String id = snapshotId(effectiveFrom);
        Path target = dir.resolve(id + ".json");
        if (Files.exists(target) && !overwrite) {
            throw new IOException(target + " already exists (use --force to replace it)");
        }
        List<SnapshotAssembler.Offer> offers = new ArrayList<>(a.offers());
        offers.sort(Comparator.comparing(SnapshotAssembler.Offer::serviceCode)
                .thenComparing(o -> String.valueOf(o.version())));
        String publishedAt = offers.stream().map(SnapshotAssembler.Offer::publicationDate)
                .filter(d -> d != null).max(Comparator.naturalOrder()).orElse(fetchedAt.toString());
        StringBuilder source = new StringBuilder("AWS Price List Query API (pricing:GetProducts, FormatVersion aws_v1)");
        for (SnapshotAssembler.Offer o : offers) {
            source.append("; ").append(o.serviceCode()).append(" version ").append(o.version())
                    .append(" publicationDate ").append(o.publicationDate());
        }
        List<ReportedRow> reported = a.reported();
        Map<String, Integer> counts = new TreeMap<>();
        reported.forEach(r -> counts.merge(r.category(), 1, Integer::sum));
        Path report = reportFile != null ? reportFile : dir.resolve("reports").resolve("unclassified-" + effectiveFrom + ".json");
        String description = "Fetched " + fetchedAt + " for regions " + regions + ": " + a.rows() + " rows, "
                + a.pricedRows() + " priced, " + reported.size() + " not priced " + counts + " (listed in "
                + report.getFileName() + ").";
        ObjectNode snap = a.snapshot(OM, id, effectiveFrom, publishedAt, source.toString(), description);
        int entries = snap.withArray("entries").size();

        Path tmp = dir.resolve("." + id + ".json.tmp");
        OM.writeValue(tmp.toFile(), snap);
        try {
            PriceBook.readSnapshot(tmp); // the loader's own checks: a fetch never leaves an unloadable file
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("fetched snapshot does not load: " + e.getMessage(), e);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);

        Files.createDirectories(report.toAbsolutePath().getParent());
        ObjectNode r = OM.createObjectNode();
        r.put("snapshotId", id);
        r.put("fetchedAt", fetchedAt.toString());
        r.put("effectiveFrom", effectiveFrom.toString());
        ArrayNode rg = r.putArray("regions");
        regions.forEach(rg::add);
        ArrayNode of = r.putArray("offers");
        offers.forEach(o -> of.addObject().put("serviceCode", o.serviceCode()).put("version", o.version())
                .put("publicationDate", o.publicationDate()));
        r.put("rows", a.rows());
        r.put("pricedRows", a.pricedRows());
        r.put("duplicateRows", a.duplicates());
        ObjectNode c = r.putObject("counts");
        counts.forEach(c::put);
        ArrayNode w = r.putArray("warnings");
        warnings.forEach(w::add);
        ArrayNode rows = r.putArray("reported");
        reported.forEach(x -> rows.add(OM.valueToTree(x)));
        OM.writeValue(report.toFile(), r);
        return new Written(target, report, entries, counts);
    }
}
