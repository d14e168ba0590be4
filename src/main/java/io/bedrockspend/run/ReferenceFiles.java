package io.bedrockspend.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.pricing.PriceBook;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads the job's reference data (pricing snapshots, principal tags, inference-profile map) where
 * the job's main() runs. Paths may be local or any Flink file system URI ({@code s3://...}): on
 * Managed Flink there is no local copy, so remote files are first copied to a temp folder.
 */
public final class ReferenceFiles {
    private ReferenceFiles() {}

    public static SpendJob.Reference load(JobConfig cfg, Path defaultPricingDir) throws IOException {
        Path pricing = cfg.pricingDir != null ? local(cfg.pricingDir) : defaultPricingDir;
        PriceBook book = PriceBook.load(pricing);
        PrincipalTagSeed tags = cfg.principalTagsFile != null ? PrincipalTagSeed.load(local(cfg.principalTagsFile))
                : PrincipalTagSeed.empty();
        if (cfg.inferenceProfilesFile != null) cfg.pipeline.applicationProfiles = stringMap(local(cfg.inferenceProfilesFile));
        return new SpendJob.Reference(book, tags);
    }

    /** A local path for a file or folder given as a path or URI; remote ones are copied (one level for folders). */
    public static Path local(String location) throws IOException {
        URI uri = URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
            return uri.getScheme() == null ? Path.of(location) : Path.of(uri);
        }
        org.apache.flink.core.fs.Path remote = new org.apache.flink.core.fs.Path(uri);
        FileSystem fs = remote.getFileSystem();
        FileStatus st = fs.getFileStatus(remote);
        Path tmp = Files.createTempDirectory("bedrock-spend-ref");
        if (!st.isDir()) return copy(fs, remote, tmp.resolve(remote.getName()));
        for (FileStatus f : fs.listStatus(remote)) {
            if (!f.isDir()) copy(fs, f.getPath(), tmp.resolve(f.getPath().getName()));
        }
        return tmp;
    }

    private static Path copy(FileSystem fs, org.apache.flink.core.fs.Path from, Path to) throws IOException {
        try (FSDataInputStream in = fs.open(from); InputStream i = in) {
            Files.copy(i, to);
        }
        return to;
    }

    /** A flat JSON object of strings (the application-inference-profile map). */
    public static Map<String, String> stringMap(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("file not found: " + file);
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        if (n == null || !n.isObject()) throw new IOException(file + ": expected a JSON object of strings");
        Map<String, String> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) throw new IOException(file + ": value of " + e.getKey() + " is not a string");
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }
}
