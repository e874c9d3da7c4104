package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Recovery codes: shape, storage form, and single use. */
class RecoveryCodesTest {
    private static final Pattern SHAPE = Pattern.compile("[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}");

    @Test
    void tenDistinctCodesByDefault() {
        RecoveryCodes.Issued issued = RecoveryCodes.generate();
        assertEquals(10, issued.codes().size());
        assertEquals(10, issued.hashes().size());
        assertEquals(10, new HashSet<>(issued.codes()).size());
        for (String code : issued.codes()) {
            assertTrue(SHAPE.matcher(code).matches(), code);
        }
    }

    @Test
    void alphabetLeavesOutLookAlikes() {
        for (char c : "01oil".toCharArray()) {
            assertEquals(-1, RecoveryCodes.ALPHABET.indexOf(c), String.valueOf(c));
        }
        assertEquals(31, RecoveryCodes.ALPHABET.length());
        Set<Character> seen = new HashSet<>();
        for (String code : RecoveryCodes.generate(100).codes()) {
            for (char c : code.replace("-", "").toCharArray()) {
                assertTrue(RecoveryCodes.ALPHABET.indexOf(c) >= 0, code);
                seen.add(c);
            }
        }
        assertEquals(31, seen.size(), "1,200 symbols use the whole alphabet");
    }

    @Test
    void hashesAreSha256OfTheNormalizedCode() throws Exception {
        RecoveryCodes.Issued issued = RecoveryCodes.generate(3);
        for (int i = 0; i < 3; i++) {
            String code = issued.codes().get(i);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.replace("-", "").getBytes(
                    StandardCharsets.US_ASCII));
            assertEquals(HexFormat.of().formatHex(digest), issued.hashes().get(i));
            assertEquals(issued.hashes().get(i), RecoveryCodes.hash(code));
            assertFalse(issued.hashes().get(i).contains(code.replace("-", "")));
        }
    }

    @Test
    void aCodeWorksOnce() {
        RecoveryCodes.Issued issued = RecoveryCodes.generate();
        String code = issued.codes().get(4);
        Optional<List<String>> left = RecoveryCodes.consume(issued.hashes(), code);
        assertTrue(left.isPresent());
        assertEquals(9, left.get().size());
        assertFalse(left.get().contains(issued.hashes().get(4)));
        assertEquals(Optional.empty(), RecoveryCodes.consume(left.get(), code));
        // the others still work
        assertEquals(8, RecoveryCodes.consume(left.get(), issued.codes().get(0)).orElseThrow().size());
    }

    @Test
    void caseHyphensAndSpacesDoNotMatter() {
        RecoveryCodes.Issued issued = RecoveryCodes.generate(1);
        String code = issued.codes().get(0);
        String plain = code.replace("-", "");
        for (String typed : List.of(code.toUpperCase(Locale.ROOT), plain, " " + plain.substring(0, 6) + " " + plain
                .substring(6) + " ")) {
            assertEquals(Optional.of(List.of()), RecoveryCodes.consume(issued.hashes(), typed), typed);
        }
    }

    @Test
    void wrongAndMalformedCodesMatchNothing() {
        RecoveryCodes.Issued issued = RecoveryCodes.generate();
        for (String typed : new String[]{null, "", "abcd-efgh", "abcd-efgh-jkmn-p", "0000-0000-0000",
                "abcd-efgh-jkmñ", "x".repeat(1000)}) {
            assertEquals(Optional.empty(), RecoveryCodes.consume(issued.hashes(), typed), String.valueOf(typed));
        }
        assertEquals(Optional.empty(), RecoveryCodes.consume(List.of(), issued.codes().get(0)));
    }

    @Test
    void hashRefusesWhatCannotBeACode() {
        assertEquals("not a recovery code: expected 12 letters and digits in groups like xxxx-xxxx-xxxx",
                assertThrows(IllegalArgumentException.class, () -> RecoveryCodes.hash("abc")).getMessage());
    }

    @Test
    void countIsBounded() {
        assertEquals(1, RecoveryCodes.generate(1).codes().size());
        assertEquals("recovery code count must be 1 to 100, got 0", assertThrows(IllegalArgumentException.class,
                () -> RecoveryCodes.generate(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecoveryCodes.generate(101));
    }

    @Test
    void issuedHidesTheCodesInToString() {
        RecoveryCodes.Issued issued = RecoveryCodes.generate(2);
        assertEquals("Issued[2 codes]", issued.toString());
        assertThrows(UnsupportedOperationException.class, () -> issued.codes().clear());
    }
}
