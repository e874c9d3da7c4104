package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TOTP against the RFC 6238 and RFC 4226 vectors, the verification window and replay protection. */
class TotpTest {
    private static final byte[] SEED_SHA1 = ascii("12345678901234567890");
    private static final byte[] SEED_SHA256 = ascii("12345678901234567890123456789012");
    private static final byte[] SEED_SHA512 = ascii(
            "1234567890123456789012345678901234567890123456789012345678901234");

    /** RFC 6238, Appendix B: time (s), T in hex, and the eight-digit code for each algorithm. */
    @ParameterizedTest
    @CsvSource({"59, 0000000000000001, 94287082, 46119246, 90693936",
            "1111111109, 00000000023523EC, 07081804, 68084774, 25091201",
            "1111111111, 00000000023523ED, 14050471, 67062674, 99943326",
            "1234567890, 000000000273EF07, 89005924, 91819424, 93441116",
            "2000000000, 0000000003F940AA, 69279037, 90698825, 38618901",
            "20000000000, 0000000027BC86AA, 65353130, 77737706, 47863826"})
    void rfc6238AppendixB(long time, String stepHex, String sha1, String sha256, String sha512) {
        Instant at = Instant.ofEpochSecond(time);
        Totp base = Totp.builder().digits(8).build();
        assertEquals(Long.parseLong(stepHex, 16), base.timeStep(at));
        assertEquals(sha1, base.toBuilder().algorithm(Totp.Algorithm.SHA1).build().generateAt(SEED_SHA1, at));
        assertEquals(sha256, base.toBuilder().algorithm(Totp.Algorithm.SHA256).build().generateAt(SEED_SHA256, at));
        assertEquals(sha512, base.toBuilder().algorithm(Totp.Algorithm.SHA512).build().generateAt(SEED_SHA512, at));
    }

    /** The same vectors through verify, with the clock at the listed time. */
    @ParameterizedTest
    @CsvSource({"59, 94287082, 46119246, 90693936", "1111111109, 07081804, 68084774, 25091201",
            "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238VectorsVerify(long time, String sha1, String sha256, String sha512) {
        MutableClock clock = MutableClock.at(time);
        Totp base = Totp.builder().digits(8).clock(clock).build();
        long step = time / 30;
        assertEquals(OptionalLong.of(step), base.verify(SEED_SHA1, sha1, -1));
        assertEquals(OptionalLong.of(step), base.toBuilder().algorithm(Totp.Algorithm.SHA256).build().verify(
                SEED_SHA256, sha256, -1));
        assertEquals(OptionalLong.of(step), base.toBuilder().algorithm(Totp.Algorithm.SHA512).build().verify(
                SEED_SHA512, sha512, -1));
    }

    /** RFC 4226, Appendix D: HOTP of the SHA-1 seed for counters 0 to 9, six digits. */
    @Test
    void rfc4226AppendixD() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
                "399871", "520489"};
        Totp totp = Totp.defaults();
        for (int counter = 0; counter < expected.length; counter++) {
            assertEquals(expected[counter], totp.generate(SEED_SHA1, counter), "counter " + counter);
        }
    }

    @Test
    void defaultsAreWhatEveryAppUnderstands() {
        Totp totp = Totp.defaults();
        assertEquals(Totp.Algorithm.SHA1, totp.algorithm());
        assertEquals(6, totp.digits());
        assertEquals(Duration.ofSeconds(30), totp.step());
        assertEquals(1, totp.window());
    }

    @Test
    void acceptsTheNeighbouringStepsOnly() {
        MutableClock clock = MutableClock.at(1_700_000_000L);
        Totp totp = Totp.builder().clock(clock).build();
        byte[] secret = Totp.newSecret();
        long now = totp.currentTimeStep();
        for (long offset = -1; offset <= 1; offset++) {
            assertEquals(OptionalLong.of(now + offset), totp.verify(secret, totp.generate(secret, now + offset), -1),
                    "offset " + offset);
        }
        assertEquals(OptionalLong.empty(), totp.verify(secret, totp.generate(secret, now - 2), -1));
        assertEquals(OptionalLong.empty(), totp.verify(secret, totp.generate(secret, now + 2), -1));
    }

    @Test
    void windowIsConfigurable() {
        MutableClock clock = MutableClock.at(1_700_000_000L);
        byte[] secret = Totp.newSecret();
        Totp strict = Totp.builder().clock(clock).window(0).build();
        long now = strict.currentTimeStep();
        assertEquals(OptionalLong.of(now), strict.verify(secret, strict.generate(secret, now), -1));
        assertEquals(OptionalLong.empty(), strict.verify(secret, strict.generate(secret, now - 1), -1));
        Totp loose = strict.toBuilder().window(3).build();
        assertEquals(OptionalLong.of(now - 3), loose.verify(secret, loose.generate(secret, now - 3), -1));
    }

    @Test
    void aCodeCannotBeUsedTwice() {
        MutableClock clock = MutableClock.at(1_700_000_000L);
        Totp totp = Totp.builder().clock(clock).build();
        byte[] secret = Totp.newSecret();
        String code = totp.generate(secret, totp.currentTimeStep());
        long accepted = totp.verify(secret, code, 0).orElseThrow();
        assertEquals(totp.currentTimeStep(), accepted);
        assertEquals(OptionalLong.empty(), totp.verify(secret, code, accepted), "replay in the same step");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(OptionalLong.empty(), totp.verify(secret, code, accepted), "replay in the next step");
        String next = totp.generate(secret, totp.currentTimeStep());
        assertEquals(OptionalLong.of(accepted + 1), totp.verify(secret, next, accepted));
    }

    @Test
    void anOlderCodeIsRefusedOnceALaterOneWasUsed() {
        MutableClock clock = MutableClock.at(1_700_000_000L);
        Totp totp = Totp.builder().clock(clock).build();
        byte[] secret = Totp.newSecret();
        long now = totp.currentTimeStep();
        long accepted = totp.verify(secret, totp.generate(secret, now), -1).orElseThrow();
        assertEquals(OptionalLong.empty(), totp.verify(secret, totp.generate(secret, now - 1), accepted));
        assertEquals(OptionalLong.of(now + 1), totp.verify(secret, totp.generate(secret, now + 1), accepted));
    }

    @Test
    void codesMayContainSpaces() {
        MutableClock clock = MutableClock.at(59);
        Totp totp = Totp.builder().clock(clock).build();
        assertEquals(OptionalLong.of(1), totp.verify(SEED_SHA1, "287 082", -1));
        assertEquals(OptionalLong.of(1), totp.verify(SEED_SHA1, " 287082 ", -1));
    }

    @Test
    void malformedCodesAreSimplyWrong() {
        MutableClock clock = MutableClock.at(59);
        Totp totp = Totp.builder().clock(clock).build();
        for (String code : new String[]{null, "", "28708", "2870822", "28708a", "２８７０８２", "287-082",
                "2".repeat(100)}) {
            assertEquals(OptionalLong.empty(), totp.verify(SEED_SHA1, code, -1), String.valueOf(code));
        }
    }

    @Test
    void eightDigitCodesAreZeroPadded() {
        // 07081804 from RFC 6238 starts with a zero
        Totp totp = Totp.builder().digits(8).build();
        assertEquals("07081804", totp.generateAt(SEED_SHA1, Instant.ofEpochSecond(1111111109)));
    }

    @Test
    void otherStepLengths() {
        Totp minute = Totp.builder().step(Duration.ofSeconds(60)).build();
        assertEquals(1, minute.timeStep(Instant.ofEpochSecond(119)));
        assertEquals(2, minute.timeStep(Instant.ofEpochSecond(120)));
        assertEquals(minute.generate(SEED_SHA1, 2), minute.generateAt(SEED_SHA1, Instant.ofEpochSecond(150)));
    }

    @Test
    void newSecretsAreTwentyRandomBytes() {
        byte[] a = Totp.newSecret();
        byte[] b = Totp.newSecret();
        assertEquals(20, a.length);
        assertFalse(Arrays.equals(a, b));
        assertEquals(32, Base32.encode(a).length());
    }

    @Test
    void shortSecretsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Totp.defaults().generate(
                new byte[10], 1));
        assertEquals("TOTP secret must be at least 16 bytes, got 10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Totp.defaults().verify(new byte[15], "123456", -1));
    }

    @Test
    void timesBeforeTheEpochAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Totp.defaults().timeStep(Instant.ofEpochSecond(-1)));
        assertThrows(IllegalArgumentException.class, () -> Totp.defaults().generate(SEED_SHA1, -1));
    }

    @Test
    void builderRefusesUnsupportedSettings() {
        assertEquals("TOTP digits must be 6 or 8, got 7", assertThrows(IllegalArgumentException.class, () -> Totp
                .builder().digits(7)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Totp.builder().step(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> Totp.builder().step(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Totp.builder().window(-1));
        assertThrows(IllegalArgumentException.class, () -> Totp.builder().window(11));
    }

    @Test
    void provisioningUriForDefaults() {
        assertEquals("otpauth://totp/StreamKit:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=StreamKit", Totp.defaults().provisioningUri("StreamKit", "alice@example.com", SEED_SHA1));
    }

    @Test
    void provisioningUriNamesNonDefaultSettingsAndEncodesLabels() {
        Totp totp = Totp.builder().algorithm(Totp.Algorithm.SHA256).digits(8).step(Duration.ofSeconds(60)).build();
        assertEquals("otpauth://totp/Acme%20Relay:j%C3%BCrgen%2Bops@example.com?secret="
                + "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Relay&algorithm=SHA256&digits=8&period=60",
                totp
                        .provisioningUri("Acme Relay", "jürgen+ops@example.com", SEED_SHA1));
    }

    @Test
    void provisioningUriRefusesColonsAndBlanks() {
        assertEquals("issuer must not contain ':'", assertThrows(IllegalArgumentException.class, () -> Totp
                .defaults().provisioningUri("a:b", "alice", SEED_SHA1)).getMessage());
        assertEquals("account must not contain ':'", assertThrows(IllegalArgumentException.class, () -> Totp
                .defaults().provisioningUri("StreamKit", "a:b", SEED_SHA1)).getMessage());
        assertEquals("account is required", assertThrows(IllegalArgumentException.class, () -> Totp.defaults()
                .provisioningUri("StreamKit", " ", SEED_SHA1)).getMessage());
    }

    @Test
    void differentSecretsGiveDifferentCodes() {
        assertNotEquals(Totp.defaults().generate(SEED_SHA1, 1), Totp.defaults().generate(SEED_SHA256, 1));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
