package io.bedrockspend.identity.export;

import java.io.IOException;

import static io.bedrockspend.identity.export.FakeAws.xml;

/** The recorded IAM account of the tests: 4 roles over 2 ListRoles pages, 2 users, one role's tags over 2 pages. */
final class IamFixtures {
    static final String ROLES_MARKER = "ACSfqXvHl6O3R+5c/Ia2g9gGbXFH0bL2kQ==";
    static final String TAGS_MARKER = "AAEAAQ/tags+page2==";
    static final String SSO_ROLE = "AWSReservedSSO_DataScientist_0123456789abcdef";

    private IamFixtures() {}

    static FakeAws account() throws IOException {
        return new FakeAws(FakeAws::iamKey)
                .on("ListRoles", xml("export/iam/ListRoles-1.xml"))
                .on("ListRoles Marker=" + ROLES_MARKER, xml("export/iam/ListRoles-2.xml"))
                .on("ListUsers", xml("export/iam/ListUsers-1.xml"))
                .on("ListRoleTags RoleName=search-svc", xml("export/iam/ListRoleTags-search-svc-1.xml"))
                .on("ListRoleTags RoleName=search-svc Marker=" + TAGS_MARKER, xml("export/iam/ListRoleTags-search-svc-2.xml"))
                .on("ListRoleTags RoleName=" + SSO_ROLE, xml("export/iam/ListRoleTags-AWSReservedSSO_DataScientist.xml"))
                .on("ListRoleTags RoleName=batch-runner", xml("export/iam/ListRoleTags-batch-runner.xml"))
                .on("ListRoleTags RoleName=AWSServiceRoleForSupport", xml("export/iam/ListRoleTags-AWSServiceRoleForSupport.xml"))
                .on("ListUserTags UserName=alice", xml("export/iam/ListUserTags-alice.xml"))
                .on("ListUserTags UserName=bob", xml("export/iam/ListUserTags-bob.xml"));
    }
}
