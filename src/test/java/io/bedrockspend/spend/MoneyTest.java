package io.bedrockspend.spend;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MoneyTest {
    @ParameterizedTest
    @CsvSource({"0.026100000000, 0.0261", "0E-12, 0", "12.5, 12.5", "0.00000000875, 0.00000000875", "1E+3, 1000"})
    void exactPlainStrings(String in, String expected) {
        assertEquals(expected, Money.format(new BigDecimal(in)));
    }

    @ParameterizedTest
    @CsvSource({"0.0000004, $0.000000", "1.23456789, $1.234568"})
    void displayRoundsOnlyForTheTerminal(String in, String expected) {
        assertEquals(expected, Money.display(new BigDecimal(in), 6));
    }
}
