package io.bedrockspend.spend;

import org.junit.jupiter.api.Test;
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

    @Test
    void sameTextAsStripTrailingZerosToPlainString() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        java.util.List<BigDecimal> values = new java.util.ArrayList<>();
        for (String s : new String[]{"1", "-1", "10", "100", "1E+3", "-1E+3", "0.1", "-0.1", "0.10", "1.0", "10.00",
                "0.000000000000000001", "999999999999999999", "-999999999999999999", "0.999999999999999999",
                "9223372036854775807", "-9223372036854775808", "1234567890123456789.5", "1E-19", "1E-18", "5E-30",
                "123456789012345678", "12345678901234567.8", "0.0049335", "-0.0049335", "1E+20"}) {
            values.add(new BigDecimal(s));
        }
        for (int i = 0; i < 200_000; i++) {
            long unscaled = switch (i % 4) {
                case 0 -> rnd.nextLong(1_000_000);
                case 1 -> rnd.nextLong();
                case 2 -> rnd.nextLong(10) * (long) Math.pow(10, rnd.nextInt(12));
                default -> -rnd.nextLong(1_000_000_000_000L);
            };
            values.add(BigDecimal.valueOf(unscaled, rnd.nextInt(-3, 22)));
        }
        for (BigDecimal v : values) {
            String expected = v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
            assertEquals(expected, Money.format(v), v::toString);
            char[] buf = new char[Money.MAX_FAST_CHARS];
            int n = Money.formatInto(v, buf);
            if (n >= 0) assertEquals(expected, new String(buf, 0, n), v::toString);
        }
    }

    @ParameterizedTest
    @CsvSource({"0.0000004, $0.000000", "1.23456789, $1.234568"})
    void displayRoundsOnlyForTheTerminal(String in, String expected) {
        assertEquals(expected, Money.display(new BigDecimal(in), 6));
    }
}
