package io.streamkit.relay.srt;

import java.time.Duration;
import java.util.Objects;

/**
 * SRT settings of one stream path, chosen per stream (not per port): latency and passphrase.
 *
 * @param latency the TSBPD latency this side asks for, 80 ms to 1 s for typical links (libsrt
 *        allows more); the connection uses the larger of both sides'
 * @param passphrase the AES passphrase (10 to 79 characters), {@code null} for none
 * @param keyLength the AES key length in bytes when encrypting: 16, 24 or 32
 */
public record SrtStreamSettings(Duration latency, String passphrase, int keyLength) {

    /** 200 ms latency, no encryption. */
    public static final SrtStreamSettings DEFAULT = new SrtStreamSettings(Duration.ofMillis(200), null, 16);

    /** Validates every field. */
    public SrtStreamSettings {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || latency.toMillis() > 60_000) {
            throw new IllegalArgumentException("SRT latency must be in [0, 60000] ms, was " + latency.toMillis());
        }
        if (passphrase != null) {
            SrtCrypto.checkPassphrase(passphrase);
        }
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException("SRT key length must be 16, 24 or 32 bytes, was " + keyLength);
        }
    }

    /** @param ms latency in milliseconds @return a copy */
    public SrtStreamSettings withLatencyMillis(long ms) {
        return new SrtStreamSettings(Duration.ofMillis(ms), passphrase, keyLength);
    }

    /** @param secret the passphrase, {@code null} for none @return a copy */
    public SrtStreamSettings withPassphrase(String secret) {
        return new SrtStreamSettings(latency, secret, keyLength);
    }

    /** @param bytes 16, 24 or 32 @return a copy */
    public SrtStreamSettings withKeyLength(int bytes) {
        return new SrtStreamSettings(latency, passphrase, bytes);
    }
}
