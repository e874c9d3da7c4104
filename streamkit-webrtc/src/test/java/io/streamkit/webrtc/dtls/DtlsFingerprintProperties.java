package io.streamkit.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class DtlsFingerprintProperties {
    @Provide
    Arbitrary<String> algorithms() {
        return Arbitraries.of("sha-1", "sha-256", "sha-384", "sha-512");
    }

    private static int length(String algorithm) {
        switch (algorithm) {
            case "sha-1" :
                return 20;
            case "sha-256" :
                return 32;
            case "sha-384" :
                return 48;
            default :
                return 64;
        }
    }

    private static String format(String algorithm, byte[] hash, boolean lowercase) {
        StringBuilder out = new StringBuilder(algorithm).append(' ');
        for (int i = 0; i < hash.length; i++) {
            if (i > 0) {
                out.append(':');
            }
            out.append(String.format(lowercase ? "%02x" : "%02X", hash[i] & 0xFF));
        }
        return lowercase ? out.toString() : out.toString().toUpperCase(Locale.ROOT);
    }

    @Property
    void parseThenFormatIsCanonical(@ForAll("algorithms") String algorithm, @ForAll long seed,
            @ForAll boolean lowercase) {
        byte[] hash = new byte[length(algorithm)];
        new java.util.Random(seed).nextBytes(hash);
        String text = format(algorithm, hash, lowercase);
        DtlsFingerprint parsed = DtlsFingerprint.parse("  " + text + "\t");
        assertEquals(format(algorithm, hash, false).replaceFirst("^[A-Z0-9-]+", algorithm), parsed.toSdpValue());
        assertEquals(parsed, DtlsFingerprint.parse(parsed.toSdpValue()));
        assertEquals(algorithm, parsed.algorithm());
    }

    @Property
    void arbitraryTextParsesOrThrowsIllegalArgument(@ForAll String text) {
        try {
            DtlsFingerprint parsed = DtlsFingerprint.parse(text);
            assertEquals(parsed, DtlsFingerprint.parse(parsed.toSdpValue()));
        } catch (IllegalArgumentException expected) {
            // the documented failure
        }
    }

    @Property
    void truncatedValueIsRejected(@ForAll("algorithms") String algorithm, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int cut) {
        byte[] hash = new byte[length(algorithm)];
        new java.util.Random(seed).nextBytes(hash);
        String text = format(algorithm, hash, false);
        String truncated = text.substring(0, Math.max(0, text.length() - cut));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse(truncated));
    }
}
