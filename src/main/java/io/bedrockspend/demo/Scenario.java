package io.bedrockspend.demo;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed cast of the synthetic traffic: one account, six teams, twenty principals of every kind
 * the attribution stage must handle (service roles with reused session names, IAM users, an LLM
 * gateway role whose sessions carry per-end-user tags, an Identity Center role with ABAC session
 * tags, and one principal with no tags at all). Immutable; the seed only drives the traffic.
 */
public final class Scenario implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ACCOUNT = "111122223333";

    public static final String SONNET_45_GLOBAL = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    public static final String HAIKU_45_US = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    public static final String SONNET_35_V2 = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    public static final String OPUS_46_GLOBAL = "global.anthropic.claude-opus-4-6-v1";
    public static final String NOVA_PRO_US = "us.amazon.nova-pro-v1:0";
    public static final String NOVA_MICRO = "amazon.nova-micro-v1:0";
    public static final String NOVA_PRO_EU = "eu.amazon.nova-pro-v1:0";
    public static final String NOVA_MICRO_EU = "eu.amazon.nova-micro-v1:0";
    public static final String LLAMA_33_70B_US = "us.meta.llama3-3-70b-instruct-v1:0";
    /** Not in any price table: the demo must show these calls as unpriced, never as $0. */
    public static final String UNPRICED_MODEL = "acme.private-model-v1:0";

    public enum Kind {
        /** Role assumed by an AWS service (ECS, EC2, Lambda, SageMaker…); a few reused session names. */
        SERVICE_ROLE,
        /** Role assumed by the LLM gateway once per end user, with that user's tags as session tags. */
        GATEWAY_ROLE,
        /** IAM Identity Center permission-set role; AssumeRoleWithSAML with ABAC principalTags. */
        SSO_ROLE,
        /** IAM user with a long-term access key; no STS session. */
        IAM_USER
    }

    public enum Operation { Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream }

    public record Team(String name, String costCenter) implements Serializable {}

    /** A session name and the session tags its STS event carries (empty: none). */
    public record SessionSpec(String name, Map<String, String> tags) implements Serializable {}

    public static final class Principal implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Role or user name. */
        public final String name;
        public final Kind kind;
        /** IAM ARN as IAM prints it (Identity Center roles keep their path). */
        public final String arn;
        /** Principal tags as the IAM seed exports them; empty for the untagged principal. */
        public final Map<String, String> tags;
        public final String region;
        public final double weight;
        public final List<SessionSpec> sessions;
        /** Service principal that assumes a SERVICE_ROLE, e.g. {@code ecs-tasks.amazonaws.com}. */
        public final String invokedBy;
        public final String userAgent;
        final String[] models;
        final double[] modelCumulative;
        final Operation[] operations;
        final double[] operationCumulative;
        /** Stable IAM unique id (AROA…/AIDA…) derived from the name. */
        public final String uniqueId;

        Principal(String name, Kind kind, String arn, Map<String, String> tags, String region, double weight,
                  List<SessionSpec> sessions, String invokedBy, String userAgent,
                  Object[] modelWeights, Object[] opWeights) {
            this.name = name;
            this.kind = kind;
            this.arn = arn;
            this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
            this.region = region;
            this.weight = weight;
            this.sessions = List.copyOf(sessions);
            this.invokedBy = invokedBy;
            this.userAgent = userAgent;
            this.models = new String[modelWeights.length / 2];
            double[] mw = new double[models.length];
            for (int i = 0; i < models.length; i++) {
                models[i] = (String) modelWeights[2 * i];
                mw[i] = ((Number) modelWeights[2 * i + 1]).doubleValue();
            }
            this.modelCumulative = Rng.cumulative(mw);
            this.operations = new Operation[opWeights.length / 2];
            double[] ow = new double[operations.length];
            for (int i = 0; i < operations.length; i++) {
                operations[i] = (Operation) opWeights[2 * i];
                ow[i] = ((Number) opWeights[2 * i + 1]).doubleValue();
            }
            this.operationCumulative = Rng.cumulative(ow);
            this.uniqueId = stableId(kind == Kind.IAM_USER ? "AIDA" : "AROA", name, 17);
        }

        public boolean isRole() {
            return kind != Kind.IAM_USER;
        }

        /** Model ids this principal calls, for documentation and tests. */
        public List<String> models() {
            return List.of(models);
        }

        /** Session ARN as logged ({@code identity.arn}); for IAM users the user ARN. */
        public String sessionArn(String sessionName) {
            return isRole() ? "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + name + "/" + sessionName : arn;
        }
    }

    private final List<Team> teams;
    private final List<Principal> principals;
    final double[] principalCumulative;

    private Scenario(List<Team> teams, List<Principal> principals) {
        this.teams = List.copyOf(teams);
        this.principals = List.copyOf(principals);
        double[] w = new double[principals.size()];
        for (int i = 0; i < w.length; i++) w[i] = principals.get(i).weight;
        this.principalCumulative = Rng.cumulative(w);
    }

    public List<Team> teams() {
        return teams;
    }

    public List<Principal> principals() {
        return principals;
    }

    /** Deterministic IAM-style id: a fixed prefix and base-32-ish uppercase characters from a name hash. */
    static String stableId(String prefix, String name, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        long h = Rng.mix(name.hashCode() * 0x9E3779B97F4A7C15L + name.length());
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            if (i % 12 == 11) h = Rng.mix(h + i);
            sb.append(alphabet.charAt((int) (h & 31)));
            h >>>= 5;
        }
        return sb.toString();
    }

    private static Map<String, String> tags(Team team, String env, String application) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("team", team.name());
        t.put("costCenter", team.costCenter());
        t.put("env", env);
        t.put("application", application);
        return t;
    }

    private static Object[] w(Object... pairs) {
        return pairs;
    }

    private static List<SessionSpec> names(String... names) {
        List<SessionSpec> out = new ArrayList<>();
        for (String n : names) out.add(new SessionSpec(n, Map.of()));
        return out;
    }

    private static SessionSpec endUser(String user, Team team) {
        Map<String, String> t = new LinkedHashMap<>();
        if (team != null) {
            t.put("team", team.name());
            t.put("costCenter", team.costCenter());
        }
        t.put("user", user);
        return new SessionSpec(user, t);
    }

    private static final String BOTO = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.112 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.35.36";
    private static final String JAVA_SDK = "aws-sdk-java/2.29.20 md/io#sync md/http#Apache ua/2.1 api/BedrockRuntime#2.29.x os/Linux#6.1.112 lang/java#17.0.13 md/OpenJDK_64-Bit_Server_VM#17.0.13+11-LTS m/E";
    private static final String NODE_SDK = "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.1.112 lang/js md/nodejs#20.18.0 api/bedrock-runtime#3.693.0 m/E";
    private static final String CONSOLE = "AWS Internal";
    private static final String GATEWAY = "litellm/1.52.14 " + BOTO;

    /** The standard demo and benchmark scenario. */
    public static Scenario standard() {
        Team search = new Team("search", "CC-1100");
        Team checkout = new Team("checkout", "CC-1200");
        Team support = new Team("support-bot", "CC-2300");
        Team ds = new Team("data-science", "CC-4100");
        Team platform = new Team("platform", "CC-9000");
        Team growth = new Team("growth", "CC-3300");
        String role = "arn:aws:iam::" + ACCOUNT + ":role/";
        String user = "arn:aws:iam::" + ACCOUNT + ":user/";
        Operation CV = Operation.Converse, CS = Operation.ConverseStream,
                IM = Operation.InvokeModel, IS = Operation.InvokeModelWithResponseStream;
        List<Principal> p = new ArrayList<>();

        p.add(new Principal("search-api", Kind.SERVICE_ROLE, role + "search-api", tags(search, "prod", "search-api"),
                "us-east-1", 14, names("ecs-task-5f1c0a9e", "ecs-task-8b2d4e71", "ecs-task-c07a93f2"),
                "ecs-tasks.amazonaws.com", JAVA_SDK,
                w(HAIKU_45_US, .55, NOVA_MICRO, .30, NOVA_PRO_US, .15), w(IM, .7, CV, .3)));
        p.add(new Principal("search-reranker", Kind.SERVICE_ROLE, role + "search-reranker", tags(search, "prod", "reranker"),
                "us-west-2", 8, names("i-0a1b2c3d4e5f60718", "i-0f9e8d7c6b5a49382"),
                "ec2.amazonaws.com", BOTO,
                w(LLAMA_33_70B_US, .5, HAIKU_45_US, .5), w(CV, 1)));
        p.add(new Principal("search-ci", Kind.IAM_USER, user + "search-ci", tags(search, "ci", "search-evals"),
                "us-east-1", 1.5, List.of(), null, BOTO,
                w(HAIKU_45_US, .7, SONNET_45_GLOBAL, .3), w(CV, 1)));
        p.add(new Principal("checkout-service", Kind.SERVICE_ROLE, role + "checkout-service", tags(checkout, "prod", "checkout-assistant"),
                "us-east-1", 10, names("ecs-task-1d2e3f40", "ecs-task-9a8b7c6d"),
                "ecs-tasks.amazonaws.com", JAVA_SDK,
                w(HAIKU_45_US, .6, NOVA_PRO_US, .4), w(CS, .5, CV, .5)));
        p.add(new Principal("checkout-fraud-scorer", Kind.SERVICE_ROLE, role + "checkout-fraud-scorer", tags(checkout, "prod", "fraud-scorer"),
                "us-east-1", 5, names("checkout-fraud-scorer-fn"),
                "lambda.amazonaws.com", NODE_SDK,
                w(SONNET_35_V2, .7, NOVA_MICRO, .3), w(IM, 1)));
        p.add(new Principal("checkout-batch-reports", Kind.SERVICE_ROLE, role + "checkout-batch-reports", tags(checkout, "prod", "nightly-reports"),
                "us-west-2", 2, names("batch-job-7c1e"),
                "ecs-tasks.amazonaws.com", BOTO,
                w(NOVA_PRO_US, .6, LLAMA_33_70B_US, .4), w(IM, 1)));
        p.add(new Principal("support-bot-prod", Kind.SERVICE_ROLE, role + "support-bot-prod", tags(support, "prod", "support-chat"),
                "us-east-1", 16, names("ecs-task-aa01b2c3", "ecs-task-bb02c3d4", "ecs-task-cc03d4e5"),
                "ecs-tasks.amazonaws.com", NODE_SDK,
                w(SONNET_45_GLOBAL, .7, HAIKU_45_US, .3), w(CS, .6, IS, .4)));
        p.add(new Principal("support-bot-staging", Kind.SERVICE_ROLE, role + "support-bot-staging", tags(support, "staging", "support-chat"),
                "us-west-2", 3, names("ecs-task-dd04e5f6"),
                "ecs-tasks.amazonaws.com", NODE_SDK,
                w(SONNET_45_GLOBAL, .5, HAIKU_45_US, .5), w(CS, 1)));
        p.add(new Principal("support-kb-summarizer", Kind.SERVICE_ROLE, role + "support-kb-summarizer", tags(support, "prod", "kb-summarizer"),
                "us-east-1", 3, names("support-kb-summarizer-fn"),
                "lambda.amazonaws.com", BOTO,
                w(HAIKU_45_US, .6, NOVA_MICRO, .4), w(IM, 1)));
        p.add(new Principal("support-eval", Kind.IAM_USER, user + "support-eval", tags(support, "dev", "support-evals"),
                "us-east-1", 2, List.of(), null, BOTO,
                w(SONNET_45_GLOBAL, .8, OPUS_46_GLOBAL, .2), w(CV, .5, IM, .5)));
        p.add(new Principal("ds-notebooks", Kind.SERVICE_ROLE, role + "ds-notebooks", tags(ds, "dev", "sagemaker-notebooks"),
                "us-east-1", 6, names("SageMaker"),
                "sagemaker.amazonaws.com", BOTO,
                w(OPUS_46_GLOBAL, .35, SONNET_45_GLOBAL, .45, UNPRICED_MODEL, .1, LLAMA_33_70B_US, .1), w(IM, .5, CV, .5)));
        String sso = "AWSReservedSSO_DataScientist_3f9a1c2b7d4e5f60";
        p.add(new Principal(sso, Kind.SSO_ROLE,
                role + "aws-reserved/sso.amazonaws.com/us-east-1/" + sso, tags(ds, "dev", "console"),
                "us-east-1", 4,
                List.of(new SessionSpec("maria.silva@example.com", Map.of("user", "maria.silva")),
                        new SessionSpec("kenji.sato@example.com", orderedTags("team", growth.name(), "costCenter", growth.costCenter(), "user", "kenji.sato")),
                        new SessionSpec("ana.costa@example.com", Map.of("user", "ana.costa"))),
                null, CONSOLE,
                w(SONNET_45_GLOBAL, .5, OPUS_46_GLOBAL, .3, NOVA_PRO_US, .2), w(CV, .5, CS, .5)));
        p.add(new Principal("alice.ds", Kind.IAM_USER, user + "alice.ds", tags(ds, "dev", "research"),
                "us-west-2", 2, List.of(), null, BOTO,
                w(SONNET_45_GLOBAL, .6, LLAMA_33_70B_US, .4), w(CV, .6, IM, .4)));
        p.add(new Principal("platform-llm-gateway", Kind.GATEWAY_ROLE, role + "platform-llm-gateway", tags(platform, "prod", "llm-gateway"),
                "us-east-1", 14,
                List.of(endUser("jdoe", search), endUser("mkhan", checkout), endUser("lchen", growth),
                        endUser("psharma", support), endUser("rgarcia", ds), endUser("obrien", growth),
                        endUser("tnguyen", null)),
                null, GATEWAY,
                w(SONNET_45_GLOBAL, .4, HAIKU_45_US, .35, NOVA_PRO_US, .15, OPUS_46_GLOBAL, .1), w(CV, .5, CS, .5)));
        p.add(new Principal("platform-evals", Kind.SERVICE_ROLE, role + "platform-evals", tags(platform, "dev", "model-evals"),
                "us-west-2", 3, names("AWSCodeBuild-4f2a9c1e", "AWSCodeBuild-7d3b0e52"),
                "codebuild.amazonaws.com", BOTO,
                w(NOVA_MICRO, .2, LLAMA_33_70B_US, .2, SONNET_35_V2, .2, HAIKU_45_US, .2, NOVA_PRO_US, .2), w(CV, 1)));
        p.add(new Principal("platform-admin", Kind.IAM_USER, user + "platform-admin", tags(platform, "prod", "ops"),
                "us-east-1", .5, List.of(), null, BOTO,
                w(HAIKU_45_US, 1), w(CV, 1)));
        p.add(new Principal("growth-content-eu", Kind.SERVICE_ROLE, role + "growth-content-eu", tags(growth, "prod", "content-localizer"),
                "eu-west-1", 6, names("ecs-task-e1f2a3b4", "ecs-task-f2a3b4c5"),
                "ecs-tasks.amazonaws.com", JAVA_SDK,
                w(NOVA_PRO_EU, .6, NOVA_MICRO_EU, .4), w(CV, .6, IM, .4)));
        p.add(new Principal("growth-experiments", Kind.SERVICE_ROLE, role + "growth-experiments", tags(growth, "staging", "ab-copy"),
                "us-east-1", 4, names("ab-copy-runner"),
                "lambda.amazonaws.com", NODE_SDK,
                w(SONNET_45_GLOBAL, .5, LLAMA_33_70B_US, .3, UNPRICED_MODEL, .2), w(CV, .7, IS, .3)));
        p.add(new Principal("growth-analyst", Kind.IAM_USER, user + "growth-analyst", tags(growth, "dev", "notebooks"),
                "us-east-1", 1.5, List.of(), null, BOTO,
                w(HAIKU_45_US, .6, NOVA_MICRO, .4), w(CV, 1)));
        // No tags anywhere: its spend must land in the visible "unattributed" bucket.
        p.add(new Principal("legacy-scripts", Kind.IAM_USER, user + "legacy-scripts", Map.of(),
                "us-east-1", 2, List.of(), null, BOTO,
                w(SONNET_35_V2, .6, NOVA_MICRO, .4), w(IM, 1)));
        return new Scenario(List.of(search, checkout, support, ds, platform, growth), p);
    }

    private static Map<String, String> orderedTags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
