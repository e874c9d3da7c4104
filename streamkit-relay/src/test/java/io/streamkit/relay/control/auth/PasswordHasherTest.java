package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** PBKDF2 hashes: format, verification, rehash, policy. */
class PasswordHasherTest {
    /** Few iterations keep the tests fast; the format and logic do not depend on the count. */
    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void hashIsSelfDescribing() {
        String encoded = hasher.hash("correct horse battery");
        String[] parts = encoded.split("\\$");
        assertEquals(4, parts.length, encoded);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        assertFalse(encoded.contains("="), "unpadded Base64");
    }

    @Test
    void hashIsPbkdf2HmacSha256OfTheUtf8Password() throws Exception {
        String encoded = hasher.hash("pässwörd-123");
        String[] parts = encoded.split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                "pässwörd-123".toCharArray(), salt, 1_000, 256)).getEncoded();
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(Base64.getDecoder().decode(
                parts[3])));
    }

    @Test
    void knownHashVerifies() {
        // RFC 7914, section 11 lists PBKDF2-HMAC-SHA256 of "passwd" with salt "salt", 1 iteration:
        // 55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc
        byte[] salt = "salt".getBytes(StandardCharsets.US_ASCII);
        byte[] hash = HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        String encoded = "pbkdf2-sha256$1$" + Base64.getEncoder().withoutPadding().encodeToString(salt) + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(hash);
        assertTrue(hasher.verify("passwd", encoded));
        assertFalse(hasher.verify("passwe", encoded));
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String encoded = hasher.hash("correct horse battery");
        assertTrue(hasher.verify("correct horse battery", encoded));
        assertFalse(hasher.verify("correct horse batterY", encoded));
        assertFalse(hasher.verify("", encoded));
        assertFalse(hasher.verify("correct horse battery ", encoded));
    }

    @Test
    void saltsDiffer() {
        assertNotEquals(hasher.hash("same password"), hasher.hash("same password"));
    }

    @Test
    void composedAndDecomposedCharactersMatch() {
        String composed = "caf\u00e9-au-lait";
        String decomposed = "cafe\u0301-au-lait";
        assertTrue(hasher.verify(decomposed, hasher.hash(composed)));
        assertTrue(hasher.verify(composed, hasher.hash(decomposed)));
    }

    @Test
    void missingAccountStillCostsAHashAndFails() {
        assertFalse(hasher.verify("whatever password", null));
    }

    @Test
    void hashesFromAnotherIterationCountStillVerify() {
        String old = new PasswordHasher(500).hash("long enough password");
        assertTrue(hasher.verify("long enough password", old));
        assertTrue(hasher.needsRehash(old));
        assertFalse(hasher.needsRehash(hasher.hash("long enough password")));
        assertFalse(new PasswordHasher(500).needsRehash(hasher.hash("long enough password")),
                "more iterations than configured is fine");
    }

    @Test
    void defaultIterationsAreOwaspFigure() {
        PasswordHasher standard = new PasswordHasher();
        assertEquals(310_000, standard.iterations());
        String encoded = standard.hash("correct horse battery");
        assertTrue(encoded.startsWith("pbkdf2-sha256$310000$"), encoded);
        assertTrue(standard.verify("correct horse battery", encoded));
        assertTrue(standard.needsRehash(hasher.hash("correct horse battery")));
    }

    @Test
    void malformedHashesAreRefusedPrecisely() {
        assertMalformed("bcrypt$10$abc$def", "unsupported password hash scheme, expected pbkdf2-sha256");
        assertMalformed("pbkdf2-sha256$1000$abc", "malformed password hash: expected 4 fields separated by '$', got 3");
        assertMalformed("pbkdf2-sha256$-5$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "malformed password hash: iteration count is not a number");
        assertMalformed("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "malformed password hash: iteration count 0 is not between 1 and 100000000");
        assertMalformed("pbkdf2-sha256$10$!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "malformed password hash: salt is not Base64");
        assertMalformed("pbkdf2-sha256$10$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "malformed password hash: salt is empty");
        assertMalformed("pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
                "malformed password hash: hash of 3 bytes, 16 to 64 are required");
        assertThrows(IllegalArgumentException.class, () -> hasher.needsRehash("nonsense"));
    }

    private void assertMalformed(String encoded, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hasher.verify(
                "long enough password", encoded));
        assertEquals(message, e.getMessage());
    }

    @Test
    void iterationsAreBounded() {
        assertEquals("iterations must be between 1 and 100000000, got 0", assertThrows(
                IllegalArgumentException.class, () -> new PasswordHasher(0)).getMessage());
    }

    @Test
    void policyNamesTheRule() {
        assertEquals("password is required", policyMessage(""));
        assertEquals("password is required", policyMessage(null));
        assertEquals("password must be at least 10 characters long, got 9", policyMessage("123456789"));
        assertEquals("password must be at most 256 characters long, got 257", policyMessage("x".repeat(257)));
        PasswordHasher.checkPolicy("1234567890");
        PasswordHasher.checkPolicy("x".repeat(256));
    }

    @Test
    void policyCountsCharactersNotCodeUnits() {
        // ten emoji are twenty UTF-16 code units
        PasswordHasher.checkPolicy("\uD83D\uDE00".repeat(10));
        assertEquals("password must be at least 10 characters long, got 9", policyMessage("\uD83D\uDE00".repeat(9)));
        assertEquals("password must be at most 256 characters long, got 257", policyMessage("\uD83D\uDE00".repeat(
                257)));
    }

    @Test
    void policyMessageNeverContainsThePassword() {
        String secret = "hunter2";
        assertFalse(policyMessage(secret).contains(secret));
    }

    private static String policyMessage(String password) {
        return assertThrows(IllegalArgumentException.class, () -> PasswordHasher.checkPolicy(password)).getMessage();
    }
}
