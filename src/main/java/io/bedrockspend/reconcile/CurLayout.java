package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the data files of a CUR 2.0 export: {@code <export>/data/BILLING_PERIOD=YYYY-MM/} with the
 * manifest under {@code <export>/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json}, on any Flink
 * file system (local, {@code s3://}).
 *
 * <p>Each period is one delivery, replaced whole (formats.md §6.1: values can change and even
 * decrease, so never append): the newest manifest's file list when there is one; otherwise, in
 * create-new mode (one sub-folder per delivery), the newest sub-folder; otherwise every data file of
 * the partition.
 */
public final class CurLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The files chosen for one billing period and how they were chosen. */
    public record Period(String period, List<Path> files, int deliveries, String chosen, long deliveredAtMillis,
                         boolean fromManifest) {
        /** True when more than one delivery exists and the one used arrived after the month closed. */
        public boolean restatedAfterClose() {
            long close = YearMonth.parse(period).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            return deliveries > 1 && deliveredAtMillis > close;
        }
    }

    private CurLayout() {}

    /** Resolves the export at {@code root} (export folder, its data folder, one partition, or one file). */
    public static List<Period> resolve(Path root, String onlyPeriod) throws IOException {
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) throw new IOException("CUR path not found: " + root);
        FileStatus st = fs.getFileStatus(root);
        if (!st.isDir()) {
            String p = CurColumns.period(root.toString());
            return List.of(new Period(p == null ? "unknown" : p, List.of(root), 1, root.getName(), st.getModificationTime(), false));
        }
        Path dataRoot = root;
        Path metaRoot = null;
        if (root.getName().startsWith("BILLING_PERIOD=")) {
            dataRoot = root.getParent();
        } else if (fs.exists(new Path(root, "data"))) {
            dataRoot = new Path(root, "data");
            metaRoot = new Path(root, "metadata");
        }
        if (metaRoot == null && dataRoot.getParent() != null && dataRoot.getName().equals("data")) {
            metaRoot = new Path(dataRoot.getParent(), "metadata");
        }
        Map<String, Path> partitions = new TreeMap<>();
        if (root.getName().startsWith("BILLING_PERIOD=")) {
            partitions.put(root.getName().substring("BILLING_PERIOD=".length()), root);
        } else {
            for (FileStatus s : list(fs, dataRoot)) {
                String n = s.getPath().getName();
                if (s.isDir() && n.startsWith("BILLING_PERIOD=")) partitions.put(n.substring("BILLING_PERIOD=".length()), s.getPath());
            }
        }
        List<Period> out = new ArrayList<>();
        if (partitions.isEmpty()) {
            // a plain folder of CUR files, no partition layout
            List<FileStatus> files = new ArrayList<>();
            walk(fs, root, files);
            if (files.isEmpty()) throw new IOException("no CUR data files (.parquet, .csv, .csv.gz) under " + root);
            out.add(new Period("unknown", paths(files), 1, root.getName(), maxTime(files), false));
            return out;
        }
        for (Map.Entry<String, Path> e : partitions.entrySet()) {
            String period = e.getKey();
            if (onlyPeriod != null && !onlyPeriod.equals(period)) continue;
            Period p = fromManifest(fs, metaRoot, dataRoot, period);
            if (p == null) p = fromListing(fs, e.getValue(), period);
            if (p != null) out.add(p);
        }
        if (out.isEmpty()) {
            throw new IOException("no CUR data under " + root + (onlyPeriod == null ? "" : " for BILLING_PERIOD=" + onlyPeriod));
        }
        return out;
    }

    private static Period fromManifest(FileSystem fs, Path metaRoot, Path dataRoot, String period) throws IOException {
        if (metaRoot == null) return null;
        Path dir = new Path(metaRoot, "BILLING_PERIOD=" + period);
        if (!fs.exists(dir)) return null;
        List<FileStatus> all = new ArrayList<>();
        walkAll(fs, dir, all);
        List<FileStatus> manifests = all.stream().filter(s -> s.getPath().getName().endsWith("Manifest.json"))
                .sorted(Comparator.comparingLong(FileStatus::getModificationTime).thenComparing(s -> s.getPath().toString()))
                .toList();
        if (manifests.isEmpty()) return null;
        FileStatus latest = manifests.get(manifests.size() - 1);
        JsonNode m;
        try (InputStream in = fs.open(latest.getPath())) {
            m = JSON.readTree(in);
        }
        JsonNode files = m.has("dataFiles") ? m.get("dataFiles") : m.get("reportKeys");
        if (files == null || !files.isArray()) {
            throw new IOException(latest.getPath() + ": manifest has no dataFiles list");
        }
        List<Path> paths = new ArrayList<>();
        for (JsonNode f : files) {
            String ref = f.isTextual() ? f.asText() : f.path("key").asText(f.path("uri").asText(null));
            if (ref == null) throw new IOException(latest.getPath() + ": unreadable dataFiles entry " + f);
            paths.add(locate(ref, dataRoot));
        }
        for (Path p : paths) {
            if (!fs.exists(p)) throw new IOException(latest.getPath() + " lists " + p + ", which does not exist (delivery incomplete?)");
        }
        return new Period(period, paths, manifests.size(), latest.getPath().getName(), latest.getModificationTime(), true);
    }

    /**
     * A manifest names files by their S3 URI at delivery; the export may since have been copied
     * elsewhere (a local mirror, another bucket), so resolve the part after {@code /data/} against
     * the data root we were given.
     */
    static Path locate(String ref, Path dataRoot) {
        int i = ref.indexOf("/data/");
        if (i >= 0) return new Path(dataRoot, ref.substring(i + "/data/".length()));
        if (ref.startsWith("data/")) return new Path(dataRoot, ref.substring("data/".length()));
        return new Path(ref);
    }

    private static Period fromListing(FileSystem fs, Path partition, String period) throws IOException {
        List<FileStatus> direct = new ArrayList<>();
        List<FileStatus> subdirs = new ArrayList<>();
        for (FileStatus s : list(fs, partition)) {
            String n = s.getPath().getName();
            if (n.startsWith(".") || n.startsWith("_")) continue;
            if (s.isDir()) subdirs.add(s);
            else if (CurFileFormat.isDataFile(n)) direct.add(s);
        }
        if (!direct.isEmpty() || subdirs.isEmpty()) {
            if (direct.isEmpty()) return null;
            return new Period(period, paths(direct), 1, partition.getName(), maxTime(direct), false);
        }
        // create-new mode: each refresh is its own folder; the newest replaces the others whole
        FileStatus best = null;
        long bestTime = Long.MIN_VALUE;
        List<FileStatus> bestFiles = null;
        for (FileStatus d : subdirs) {
            List<FileStatus> files = new ArrayList<>();
            walk(fs, d.getPath(), files);
            if (files.isEmpty()) continue;
            long t = maxTime(files);
            if (best == null || t > bestTime || (t == bestTime && d.getPath().getName().compareTo(best.getPath().getName()) > 0)) {
                best = d;
                bestTime = t;
                bestFiles = files;
            }
        }
        if (best == null) return null;
        return new Period(period, paths(bestFiles), subdirs.size(), best.getPath().getName(), bestTime, false);
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] s = fs.listStatus(dir);
        return s == null ? new FileStatus[0] : s;
    }

    private static void walk(FileSystem fs, Path dir, List<FileStatus> out) throws IOException {
        for (FileStatus s : list(fs, dir)) {
            String n = s.getPath().getName();
            if (n.startsWith(".") || n.startsWith("_")) continue;
            if (s.isDir()) walk(fs, s.getPath(), out);
            else if (CurFileFormat.isDataFile(n)) out.add(s);
        }
    }

    private static void walkAll(FileSystem fs, Path dir, List<FileStatus> out) throws IOException {
        for (FileStatus s : list(fs, dir)) {
            if (s.isDir()) walkAll(fs, s.getPath(), out);
            else out.add(s);
        }
    }

    private static List<Path> paths(List<FileStatus> files) {
        return files.stream().map(FileStatus::getPath).sorted(Comparator.comparing(Path::toString)).toList();
    }

    private static long maxTime(List<FileStatus> files) {
        return files.stream().mapToLong(FileStatus::getModificationTime).max().orElse(0L);
    }
}
