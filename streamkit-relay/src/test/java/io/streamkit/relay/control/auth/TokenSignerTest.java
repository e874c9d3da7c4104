package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Signed tokens: issue, verify, and each reason for refusal. */
class TokenSignerTest {
    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final TokenSigner signer = TokenSigner.builder(KEY).clock(clock).build();

    @Test
    void issuedPairVerifies() {
        Tokens tokens = signer.issue("u-42", Role.TECHNICIAN, "s-7", 3);
        assertEquals(T0.plus(Duration.ofMinutes(15)), tokens.accessExpiresAt());
        assertEquals(T0.plus(Duration.ofDays(7)), tokens.refreshExpiresAt());

        TokenClaims access = signer.verify(tokens.accessToken(), TokenType.ACCESS);
        assertEquals(new TokenClaims("u-42", Role.TECHNICIAN, TokenType.ACCESS, "s-7", 3, T0, T0.plus(Duration
                .ofMinutes(15))), access);
        TokenClaims refresh = signer.verify(tokens.refreshToken(), TokenType.REFRESH);
        assertEquals(new TokenClaims("u-42", Role.TECHNICIAN, TokenType.REFRESH, "s-7", 3, T0, T0.plus(Duration
                .ofDays(7))), refresh);
    }

    @Test
    void formatIsPayloadDotHmac() throws Exception {
        String token = signer.issue("u-42", Role.ADMIN, "s-7", 0).accessToken();
        int dot = token.indexOf('.');
        String body = token.substring(0, dot);
        assertEquals("1|ACCESS|u-42|ADMIN|s-7|0|" + T0.getEpochSecond() + "|" + T0.plusSeconds(900).getEpochSecond(),
                new String(Base64.getUrlDecoder().decode(body), StandardCharsets.US_ASCII));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(
                StandardCharsets.US_ASCII)));
        assertEquals(expected, token.substring(dot + 1));
        assertFalse(token.contains("="));
    }

    @Test
    void lifetimesAreConfigurable() {
        TokenSigner custom = TokenSigner.builder(KEY).clock(clock).accessTtl(Duration.ofMinutes(5)).refreshTtl(
                Duration.ofHours(12)).build();
        Tokens tokens = custom.issue("u", Role.VIEWER, "s", 0);
        assertEquals(T0.plus(Duration.ofMinutes(5)), tokens.accessExpiresAt());
        assertEquals(T0.plus(Duration.ofHours(12)), tokens.refreshExpiresAt());
        assertEquals(Duration.ofMinutes(15), signer.accessTtl());
        assertEquals(Duration.ofDays(7), signer.refreshTtl());
    }

    @Test
    void wrongTypeIsRefused() {
        Tokens tokens = signer.issue("u", Role.ADMIN, "s", 0);
        assertRefused(TokenException.Reason.WRONG_TYPE, "expected an ACCESS token, got a REFRESH token", () -> signer
                .verify(tokens.refreshToken(), TokenType.ACCESS));
        assertRefused(TokenException.Reason.WRONG_TYPE, "expected a REFRESH token, got an ACCESS token", () -> signer
                .verify(tokens.accessToken(), TokenType.REFRESH));
    }

    @Test
    void expiryIsExclusive() {
        Tokens tokens = signer.issue("u", Role.ADMIN, "s", 0);
        clock.set(T0.plus(Duration.ofMinutes(15)).minusNanos(1));
        signer.verify(tokens.accessToken(), TokenType.ACCESS);
        clock.set(T0.plus(Duration.ofMinutes(15)));
        assertRefused(TokenException.Reason.EXPIRED, "access token expired at 2026-03-01T12:15:00Z", () -> signer
                .verify(tokens.accessToken(), TokenType.ACCESS));
        signer.verify(tokens.refreshToken(), TokenType.REFRESH);
        clock.advance(Duration.ofDays(7));
        assertRefused(TokenException.Reason.EXPIRED, "refresh token expired at 2026-03-08T12:00:00Z", () -> signer
                .verify(tokens.refreshToken(), TokenType.REFRESH));
    }

    @Test
    void timesAreWholeSeconds() {
        clock.set(T0.plusMillis(999));
        Tokens tokens = signer.issue("u", Role.ADMIN, "s", 0);
        assertEquals(T0.plus(Duration.ofMinutes(15)), tokens.accessExpiresAt());
        assertEquals(T0, signer.verify(tokens.accessToken(), TokenType.ACCESS).issuedAt());
    }

    @Test
    void anotherKeyIsABadSignature() {
        byte[] other = KEY.clone();
        other[31] ^= 1;
        String token = TokenSigner.builder(other).clock(clock).build().issue("u", Role.ADMIN, "s", 0).accessToken();
        assertRefused(TokenException.Reason.BAD_SIGNATURE, "token signature does not match", () -> signer.verify(token,
                TokenType.ACCESS));
    }

    @Test
    void aForgedPayloadIsABadSignature() {
        String token = signer.issue("u", Role.VIEWER, "s", 0).accessToken();
        String forgedBody = Base64.getUrlEncoder().withoutPadding().encodeToString(("1|ACCESS|u|ADMIN|s|0|"
                + T0.getEpochSecond() + "|" + T0.plusSeconds(900).getEpochSecond()).getBytes(
                        StandardCharsets.US_ASCII));
        String forged = forgedBody + token.substring(token.indexOf('.'));
        assertRefused(TokenException.Reason.BAD_SIGNATURE, "token signature does not match", () -> signer.verify(
                forged, TokenType.ACCESS));
    }

    @Test
    void malformedTokensSayWhat() {
        String good = signer.issue("u", Role.ADMIN, "s", 0).accessToken();
        String body = good.substring(0, good.indexOf('.'));
        String sig = good.substring(good.indexOf('.') + 1);
        assertMalformed("token is empty", null);
        assertMalformed("token is empty", "");
        assertMalformed("token must be two non-empty parts separated by one '.'", body);
        assertMalformed("token must be two non-empty parts separated by one '.'", body + "." + sig + ".x");
        assertMalformed("token must be two non-empty parts separated by one '.'", "." + sig);
        assertMalformed("token must be two non-empty parts separated by one '.'", body + ".");
        assertMalformed("token signature is not base64url", body + "." + sig.replace(sig.charAt(3), '+'));
        assertMalformed("token signature must be 32 bytes, got 3", body + ".AAAA");
        assertMalformed("token is longer than 1024 characters", "A".repeat(1025));
    }

    @Test
    void aSecondSpellingOfTheSignatureIsRefused() {
        String good = signer.issue("u", Role.ADMIN, "s", 0).accessToken();
        // 32 bytes are 43 base64url symbols; the last one carries 4 bits and 2 unused ones
        char last = good.charAt(good.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char twin = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String variant = good.substring(0, good.length() - 1) + twin;
        assertMalformed("token signature is not in canonical base64url", variant);
    }

    @Test
    void aSignedButUnreadablePayloadIsMalformed() throws Exception {
        assertMalformed("token payload must have 8 fields, got 2", signRaw("1|ACCESS"));
        assertMalformed("unsupported token format version", signRaw("2|ACCESS|u|ADMIN|s|0|1|2"));
        assertMalformed("token payload is invalid: unknown role", signRaw("1|ACCESS|u|ROOT|s|0|1|2"));
        assertMalformed("token payload is invalid: unknown type", signRaw("1|access|u|ADMIN|s|0|1|2"));
        assertMalformed("token payload is invalid: generation is not a non-negative number", signRaw(
                "1|ACCESS|u|ADMIN|s|-1|1|2"));
        assertMalformed("token payload is invalid: expiresAt 1970-01-01T00:00:01Z must be after issuedAt "
                + "1970-01-01T00:00:02Z", signRaw("1|ACCESS|u|ADMIN|s|0|2|1"));
        assertMalformed("token time is out of range", signRaw("1|ACCESS|u|ADMIN|s|0|1|999999999999999999"));
        assertMalformed("token payload is invalid: generation is out of range", signRaw(
                "1|ACCESS|u|ADMIN|s|9999999999999999999|1|2"));
    }

    private static String signRaw(String payload) throws Exception {
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(
                StandardCharsets.US_ASCII));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(
                StandardCharsets.US_ASCII)));
    }

    @Test
    void refreshRotationThroughTheGeneration() {
        // the caller's session store, reduced to one generation counter
        long[] sessionGeneration = {1};
        Tokens first = signer.issue("u", Role.ADMIN, "s", sessionGeneration[0]);

        TokenClaims used = signer.verify(first.refreshToken(), TokenType.REFRESH);
        assertEquals(sessionGeneration[0], used.generation());
        sessionGeneration[0]++;
        Tokens second = signer.issue(used.subject(), used.role(), used.sessionId(), sessionGeneration[0]);
        assertNotEquals(first.refreshToken(), second.refreshToken());

        TokenClaims replayed = signer.verify(first.refreshToken(), TokenType.REFRESH);
        assertNotEquals(sessionGeneration[0], replayed.generation(), "the caller sees the reuse");
        assertEquals(sessionGeneration[0], signer.verify(second.refreshToken(), TokenType.REFRESH).generation());
    }

    @Test
    void keysShorterThan32BytesAreRefused() {
        assertEquals("token signing key must be at least 32 bytes, got 31", assertThrows(
                IllegalArgumentException.class, () -> TokenSigner.builder(new byte[31])).getMessage());
        assertEquals(32, TokenSigner.newKey().length);
    }

    @Test
    void keyIsCopied() {
        byte[] key = KEY.clone();
        TokenSigner.Builder builder = TokenSigner.builder(key).clock(clock);
        key[0] ^= 1;
        String token = builder.build().issue("u", Role.ADMIN, "s", 0).accessToken();
        assertEquals("u", signer.verify(token, TokenType.ACCESS).subject());
    }

    @Test
    void lifetimesMustBeAtLeastASecond() {
        assertThrows(IllegalArgumentException.class, () -> TokenSigner.builder(KEY).accessTtl(Duration.ofMillis(
                999)));
        assertThrows(IllegalArgumentException.class, () -> TokenSigner.builder(KEY).refreshTtl(Duration.ZERO));
    }

    @Test
    void claimsValidateTheirFields() {
        assertEquals("subject may contain only printable ASCII other than space and '|', found a forbidden "
                + "character at index 1",
                assertThrows(IllegalArgumentException.class, () -> new TokenClaims("a|b",
                        Role.ADMIN, TokenType.ACCESS, "s", 0, T0, T0.plusSeconds(1))).getMessage());
        assertEquals("sessionId must be 1 to 128 characters, got 0", assertThrows(IllegalArgumentException.class,
                () -> new TokenClaims("u", Role.ADMIN, TokenType.ACCESS, "", 0, T0, T0.plusSeconds(1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenClaims("u", Role.ADMIN, TokenType.ACCESS, "s",
                -1, T0, T0.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new TokenClaims("u", Role.ADMIN, TokenType.ACCESS, "s",
                0, T0, T0));
        assertThrows(IllegalArgumentException.class, () -> signer.issue("user name", Role.ADMIN, "s", 0));
    }

    @Test
    void tokensHideThemselvesInToString() {
        Tokens tokens = signer.issue("u", Role.ADMIN, "s", 0);
        assertFalse(tokens.toString().contains(tokens.accessToken()));
        assertFalse(tokens.toString().contains(tokens.refreshToken()));
        assertTrue(tokens.toString().contains("2026-03-01T12:15:00Z"));
    }

    private static void assertRefused(TokenException.Reason reason, String message, Runnable verify) {
        TokenException e = assertThrows(TokenException.class, verify::run);
        assertEquals(reason, e.reason());
        assertEquals(message, e.getMessage());
    }

    private void assertMalformed(String message, String token) {
        assertRefused(TokenException.Reason.MALFORMED, message, () -> signer.verify(token, TokenType.ACCESS));
    }
}
