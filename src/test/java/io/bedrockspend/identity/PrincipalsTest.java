package io.bedrockspend.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrincipalsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            arn:aws:sts::111122223333:assumed-role/search-svc/pod-7                 | arn:aws:iam::111122223333:role/search-svc
            arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_ab12/alice@x.io | arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_ab12
            arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_ab12 | arn:aws:iam::111122223333:role/AWSReservedSSO_Dev_ab12
            arn:aws:iam::111122223333:role/services/search-svc                      | arn:aws:iam::111122223333:role/search-svc
            arn:aws:iam::111122223333:user/alice                                    | arn:aws:iam::111122223333:user/alice
            arn:aws:iam::111122223333:user/division/team/alice                      | arn:aws:iam::111122223333:user/alice
            arn:aws-us-gov:sts::111122223333:assumed-role/gov-role/s1                | arn:aws-us-gov:iam::111122223333:role/gov-role
            arn:aws:sts::111122223333:federated-user/bob                            | arn:aws:sts::111122223333:federated-user/bob
            arn:aws:iam::111122223333:root                                          | arn:aws:iam::111122223333:root
            arn:aws:sts::111122223333:assumed-role/no-session                       | arn:aws:iam::111122223333:role/no-session
            not-an-arn                                                              | not-an-arn
            NULL                                                                    | NULL
            """)
    void canonicalPrincipal(String arn, String expected) {
        assertEquals(expected, Principals.canonical(arn));
    }
}
