package io.bedrockspend.identity.export;

import java.io.IOException;

import static io.bedrockspend.identity.export.FakeAws.json;

/** The recorded Bedrock control plane: us-east-1 with 4 application profiles over 2 pages, eu-west-1 with 1. */
final class BedrockFixtures {
    static final String NEXT_TOKEN = "eyJvZmZzZXQiOjJ9+/==";
    static final String PROFILE = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/";
    static final String SEARCH = PROFILE + "a1b2c3d4e5f6";
    static final String NOVA = PROFILE + "0f9e8d7c6b5a";
    static final String GLOBAL = PROFILE + "9a8b7c6d5e4f";
    static final String MIXED = PROFILE + "mixedmodels01";
    static final String EU = "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/eu0profile01";

    private BedrockFixtures() {}

    static FakeAws account() throws IOException {
        FakeAws aws = new FakeAws(FakeAws::bedrockKey)
                .on("us-east-1 GET /inference-profiles", json("export/bedrock/ListInferenceProfiles-us-east-1-1.json"))
                .on("us-east-1 GET /inference-profiles nextToken=" + NEXT_TOKEN,
                        json("export/bedrock/ListInferenceProfiles-us-east-1-2.json"))
                .on("eu-west-1 GET /inference-profiles", json("export/bedrock/ListInferenceProfiles-eu-west-1-1.json"));
        for (String arn : new String[]{SEARCH, NOVA, GLOBAL, MIXED, EU}) {
            String region = arn.split(":")[3];
            aws.on(tagsKey(region, arn), json("export/bedrock/ListTagsForResource-" + arn.substring(arn.lastIndexOf('/') + 1) + ".json"));
        }
        return aws;
    }

    static String tagsKey(String region, String arn) {
        return region + " POST /listTagsForResource " + arn;
    }
}
