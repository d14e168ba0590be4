package io.bedrockspend.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalTagSeedTest {
    @TempDir
    Path dir;

    @Test
    void jsonWithObjectAndIamListTagForms() throws IOException {
        Path f = dir.resolve("tags.json");
        Files.writeString(f, """
                {"principals":[
                  {"arn":"arn:aws:iam::1:role/services/search","tags":{"team":"search"}},
                  {"arn":"arn:aws:iam::1:user/alice","tags":[{"Key":"team","Value":"ds"},{"Key":"env","Value":"dev"}]}
                ]}""");
        PrincipalTagSeed s = PrincipalTagSeed.load(f);
        assertEquals(Map.of("team", "search"), s.tagsOf("arn:aws:iam::1:role/search"));
        assertEquals(Map.of("team", "ds", "env", "dev"), s.tagsOf("arn:aws:iam::1:user/alice"));
        assertEquals(Map.of(), s.tagsOf("arn:aws:iam::1:role/other"));
    }

    @Test
    void csvWithQuotedValues() throws IOException {
        Path f = dir.resolve("tags.csv");
        Files.writeString(f, "arn,key,value\narn:aws:iam::1:role/r,team,search\narn:aws:iam::1:role/r,note,\"a, \"\"b\"\"\"\n");
        PrincipalTagSeed s = PrincipalTagSeed.load(f);
        assertEquals(Map.of("team", "search", "note", "a, \"b\""), s.tagsOf("arn:aws:iam::1:role/r"));
    }

    @Test
    void roundTripsThroughJson() throws IOException {
        PrincipalTagSeed s = new PrincipalTagSeed(Map.of("arn:aws:iam::1:role/r", Map.of("team", "x")));
        Path f = dir.resolve("rt.json");
        Files.writeString(f, s.toJson());
        assertEquals(s.asMap(), PrincipalTagSeed.load(f).asMap());
    }

    @Test
    void clearErrors() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> PrincipalTagSeed.load(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("not found"));
        Path noArn = dir.resolve("bad.json");
        Files.writeString(noArn, "{\"principals\":[{\"tags\":{}}]}");
        IOException e = assertThrows(IOException.class, () -> PrincipalTagSeed.load(noArn));
        assertTrue(e.getMessage().contains("principals[0] has no \"arn\""), e.getMessage());
        Path badCsv = dir.resolve("bad.csv");
        Files.writeString(badCsv, "principal,tag\nx,y\n");
        assertTrue(assertThrows(IOException.class, () -> PrincipalTagSeed.load(badCsv)).getMessage().contains("arn,key,value"));
    }
}
