package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Base32 round trips for arbitrary bytes. */
class Base32Properties {

    @Property
    void decodeInvertsEncode(@ForAll @Size(max = 100) byte[] data) {
        assertArrayEquals(data, Base32.decode(Base32.encode(data)));
        assertArrayEquals(data, Base32.decode(Base32.encodePadded(data)));
        assertArrayEquals(data, Base32.decode(Base32.encode(data).toLowerCase(Locale.ROOT)));
    }

    @Property
    void encodingHasTheExpectedShape(@ForAll @Size(max = 100) byte[] data) {
        String plain = Base32.encode(data);
        String padded = Base32.encodePadded(data);
        assertEquals((data.length * 8 + 4) / 5, plain.length());
        assertEquals(0, padded.length() % 8);
        assertTrue(padded.startsWith(plain));
        assertTrue(plain.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '2' && c <= '7'), plain);
    }

    /** Any text over the alphabet is refused or is the one canonical spelling of its bytes. */
    @Property
    void decodeAcceptsOnlyCanonicalText(@ForAll("base32Text") String text) {
        byte[] data;
        try {
            data = Base32.decode(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertEquals(text, Base32.encode(data));
    }

    @Provide
    Arbitrary<String> base32Text() {
        return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").ofMaxLength(60);
    }
}
