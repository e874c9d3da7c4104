package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Base32 against the RFC 4648 test vectors, and the decoder's refusals. */
class Base32Test {

    /** RFC 4648, section 10. */
    @ParameterizedTest
    @CsvSource(value = {"'', ''", "f, MY======", "fo, MZXQ====", "foo, MZXW6===", "foob, MZXW6YQ=",
            "fooba, MZXW6YTB", "foobar, MZXW6YTBOI======"})
    void rfc4648Vectors(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertEquals(encoded, Base32.encodePadded(bytes));
        assertEquals(encoded.replace("=", ""), Base32.encode(bytes));
        assertArrayEquals(bytes, Base32.decode(encoded));
        assertArrayEquals(bytes, Base32.decode(encoded.replace("=", "")));
    }

    @Test
    void decodeIsLenientAboutCaseSpacesAndPadding() {
        byte[] foobar = "foobar".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(foobar, Base32.decode("mzxw6ytboi"));
        assertArrayEquals(foobar, Base32.decode("MZXW 6YTB OI"));
        assertArrayEquals(foobar, Base32.decode(" mzxw\t6ytb\noi== "));
    }

    @Test
    void twentyByteSecretIsThirtyTwoSymbols() {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.encode(secret));
        assertEquals(Base32.encode(secret), Base32.encodePadded(secret));
    }

    @Test
    void refusesForeignCharacters() {
        assertEquals("invalid Base32 character at index 2", message("MZ1W"));
        assertEquals("invalid Base32 character at index 0", message("0A"));
        assertEquals("invalid Base32 character at index 1", message("M\u00e9"));
    }

    @Test
    void refusesSymbolsAfterPadding() {
        assertEquals("Base32 character after padding '=' at index 3", message("MY=A"));
    }

    @Test
    void refusesLengthsThatCannotBeBytes() {
        assertEquals("Base32 text of 1 symbols does not encode whole bytes", message("M"));
        assertEquals("Base32 text of 3 symbols does not encode whole bytes", message("MZX"));
        assertEquals("Base32 text of 6 symbols does not encode whole bytes", message("MZXW6Y"));
    }

    @Test
    void refusesNonZeroUnusedBits() {
        // "MY" is 'f' with two zero bits left over; "MZ" sets one of them
        assertArrayEquals(new byte[]{'f'}, Base32.decode("MY"));
        assertEquals("non-canonical Base32: the unused bits of the last symbol are not zero", message("MZ"));
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Base32.decode(text)).getMessage();
    }
}
