package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Any claims survive signing; any change to a token is refused. */
class TokenSignerProperties {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final TokenSigner signer = TokenSigner.builder(KEY).clock(new MutableClock(NOW)).build();

    @Property
    void verifyReturnsWhatWasSigned(@ForAll("claims") TokenClaims claims) {
        assertEquals(claims, signer.verify(signer.sign(claims), claims.type()));
    }

    @Property
    void aChangedCharacterIsAlwaysRefused(@ForAll("claims") TokenClaims claims,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 1, max = 64) int shift) {
        String token = signer.sign(claims);
        int i = where % token.length();
        char replacement = TOKEN_CHARS.charAt((TOKEN_CHARS.indexOf(token.charAt(i)) + shift) % TOKEN_CHARS.length());
        String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
        assertThrows(TokenException.class, () -> signer.verify(tampered, claims.type()));
    }

    @Property
    void aShortenedOrExtendedTokenIsAlwaysRefused(@ForAll("claims") TokenClaims claims,
            @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 0, max = 63) int extra) {
        String token = signer.sign(claims);
        int cut = where % token.length();
        assertThrows(TokenException.class, () -> signer.verify(token.substring(0, cut), claims.type()));
        assertThrows(TokenException.class, () -> signer.verify(token + TOKEN_CHARS.charAt(extra), claims.type()));
        assertThrows(TokenException.class, () -> signer.verify(TOKEN_CHARS.charAt(extra) + token, claims.type()));
    }

    @Provide
    Arbitrary<TokenClaims> claims() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('!', '~').excludeChars('|').ofMinLength(1)
                .ofMaxLength(TokenClaims.MAX_ID_LENGTH);
        Arbitrary<Long> lifetimes = Arbitraries.longs().between(1, Duration.ofDays(30).toSeconds());
        Arbitrary<Long> ages = Arbitraries.longs().between(0, Duration.ofDays(1).toSeconds());
        return Combinators.combine(ids, Arbitraries.of(Role.class), Arbitraries.of(TokenType.class), ids, Arbitraries
                .longs().between(0, Long.MAX_VALUE), ages, lifetimes).as(
                        (subject, role, type, session, generation,
                                age, lifetime) -> {
                            Instant issued = NOW.minusSeconds(Math.min(age, lifetime - 1));
                            return new TokenClaims(subject, role, type, session, generation, issued, issued.plusSeconds(
                                    lifetime));
                        });
    }
}
