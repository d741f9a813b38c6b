package dev.prism.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceArithmeticTest {
    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        // a,     b,     isNewer(a,b), diff(a,b)
        "1,       0,     true,   1",
        "0,       1,     false,  -1",
        "0,       65535, true,   1",      // wrap forward
        "65535,   0,     false,  -1",
        "5,       65530, true,   11",
        "65530,   5,     false,  -11",
        "7,       7,     false,  0",
        "32767,   0,     true,   32767",
        "32768,   0,     true,   -32768", // exactly half: larger value wins
        "0,       32768, false,  -32768",
        "32769,   0,     false,  -32767",
        "100000,  34464, false,  0",      // inputs beyond 16 bits are reduced
    })
    void sequenceNumbers(int a, int b, boolean newer, int diff) {
        assertEquals(newer, SequenceNumbers.isNewer(a, b));
        assertEquals(diff, SequenceNumbers.diff(a, b));
        int expectedCompare = diff == 0 && !newer && (a & 0xFFFF) == (b & 0xFFFF) ? 0 : newer ? 1 : -1;
        assertEquals(expectedCompare, SequenceNumbers.compare(a, b));
    }

    @Test
    void sequenceAddWraps() {
        assertEquals(1, SequenceNumbers.add(65535, 2));
        assertEquals(65535, SequenceNumbers.add(0, -1));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        "1,          0,          true,   1",
        "0,          4294967295, true,   1",
        "4294967295, 0,          false,  -1",
        "2147483648, 0,          true,   -2147483648",
        "0,          2147483648, false,  -2147483648",
        "2147483647, 0,          true,   2147483647",
        "90000,      4294960000, true,   97296",
        "3,          3,          false,  0",
    })
    void timestamps(long a, long b, boolean newer, long diff) {
        assertEquals(newer, RtpTimestamps.isNewer(a, b));
        assertEquals(diff, RtpTimestamps.diff(a, b));
    }

    @Test
    void timestampAddWraps() {
        assertEquals(5, RtpTimestamps.add(0xFFFF_FFFEL, 7));
    }

    @Test
    void sequenceUnwrapperTable() {
        int[] input =   {65534, 65535, 0, 1, 65535, 2, 32770, 2, 65535, 0};
        // 32770 is exactly half ahead of 2 and the larger, so newer; then 2 is half behind, older
        long[] expect = {65534, 65535, 65536, 65537, 65535, 65538, 98306, 65538, 131071, 131072};
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertEquals(-1, u.highest());
        for (int i = 0; i < input.length; i++) {
            assertEquals(expect[i], u.unwrap(input[i]), "step " + i);
        }
        assertEquals(131072, u.highest());
        u.reset();
        assertEquals(10, u.unwrap(10));
        assertEquals(-1, u.unwrap(65535)); // late packet from before the first
    }

    @Test
    void timestampUnwrapperTable() {
        long[] input =  {0xFFFF_FF00L, 0x10L, 0xFFFF_FFF0L, 0x8000_0000L, 0x10L, 0xF000_0000L, 0x10L, 0x8000_0010L};
        long[] expect = {0xFFFF_FF00L, 0x1_0000_0010L, 0xFFFF_FFF0L, 0x1_8000_0000L, 0x1_0000_0010L,
            0x1_F000_0000L, 0x2_0000_0010L, 0x2_8000_0010L}; // last: exactly half ahead counts as newer
        TimestampUnwrapper u = new TimestampUnwrapper();
        for (int i = 0; i < input.length; i++) {
            assertEquals(expect[i], u.unwrap(input[i]), "step " + i);
        }
    }

    @Test
    void absSendTimeFixedPoint() {
        assertEquals(0, AbsSendTime.fromNanos(0));
        assertEquals(1 << 18, AbsSendTime.fromNanos(1_000_000_000L));
        assertEquals(1 << 17, AbsSendTime.fromNanos(500_000_000L));
        assertEquals(0, AbsSendTime.fromNanos(64_000_000_000L)); // wraps every 64 s
        assertEquals((63 << 18) | (1 << 17), AbsSendTime.fromNanos(-500_000_000L));
        assertEquals(500_000_000L, AbsSendTime.toNanos(1 << 17));
        assertEquals(3, AbsSendTime.diff(1, 0xFFFFFE));
        assertEquals(-3, AbsSendTime.diff(0xFFFFFE, 1));
        long big = Long.MAX_VALUE - 12345;
        assertEquals(AbsSendTime.fromNanos(big), AbsSendTime.fromNanos(big) & 0xFFFFFF);
    }
}
