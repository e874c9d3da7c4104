package io.streamkit.webrtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as carried in the SDP {@code a=fingerprint} attribute: a hash function
 * name and the hash of the DER-encoded certificate, written as colon-separated pairs of uppercase
 * hex digits ({@code sha-256 AB:CD:...}).
 *
 * <p>Supported hash functions: {@code sha-1}, {@code sha-256}, {@code sha-384}, {@code sha-512}.
 * Parsing is case-insensitive in both the name and the hex digits; {@link #toSdpValue()} writes
 * the canonical form (lowercase name, uppercase hex).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8122#section-5">RFC 8122 §5</a>
 */
public final class DtlsFingerprint {
    /** Longest SDP value accepted by {@link #parse(String)}: sha-512 with separators and slack. */
    private static final int MAX_SDP_LENGTH = 256;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String algorithm;
    private final byte[] hash;

    private DtlsFingerprint(String algorithm, byte[] hash) {
        this.algorithm = algorithm;
        this.hash = hash;
    }

    /**
     * Parses the value of an SDP {@code a=fingerprint} attribute.
     *
     * @param sdpValue for example {@code sha-256 AB:CD:...}; surrounding whitespace is ignored
     * @return the fingerprint
     * @throws IllegalArgumentException if the value is malformed, names an unsupported hash
     *     function, or has the wrong number of bytes for it
     */
    public static DtlsFingerprint parse(String sdpValue) {
        if (sdpValue == null) {
            throw new IllegalArgumentException("fingerprint is missing");
        }
        if (sdpValue.length() > MAX_SDP_LENGTH) {
            throw new IllegalArgumentException("fingerprint is longer than " + MAX_SDP_LENGTH + " characters");
        }
        String trimmed = sdpValue.strip();
        int space = indexOfWhitespace(trimmed);
        if (space < 0) {
            throw new IllegalArgumentException("fingerprint '" + sdpValue + "' lacks the hash function name");
        }
        String algorithm = normalizeAlgorithm(trimmed.substring(0, space));
        String hex = trimmed.substring(space).strip();
        int expectedLength = digestLength(algorithm);
        if (hex.length() != expectedLength * 3 - 1) {
            throw new IllegalArgumentException("fingerprint '" + sdpValue + "' must have " + expectedLength
                    + " colon-separated hex bytes for " + algorithm);
        }
        byte[] hash = new byte[expectedLength];
        for (int i = 0; i < expectedLength; i++) {
            int at = i * 3;
            int high = Character.digit(hex.charAt(at), 16);
            int low = Character.digit(hex.charAt(at + 1), 16);
            if (high < 0 || low < 0 || (at + 2 < hex.length() && hex.charAt(at + 2) != ':')) {
                throw new IllegalArgumentException(
                        "fingerprint '" + sdpValue + "' is not colon-separated hex at byte " + i);
            }
            hash[i] = (byte) (high << 4 | low);
        }
        return new DtlsFingerprint(algorithm, hash);
    }

    /**
     * Hashes a DER-encoded certificate.
     *
     * @param algorithm {@code sha-1}, {@code sha-256}, {@code sha-384} or {@code sha-512} (any case)
     * @param certificateDer the certificate's DER encoding
     * @return the fingerprint
     * @throws IllegalArgumentException if the hash function is not supported
     */
    public static DtlsFingerprint of(String algorithm, byte[] certificateDer) {
        Objects.requireNonNull(certificateDer, "certificateDer");
        String normalized = normalizeAlgorithm(algorithm);
        return new DtlsFingerprint(normalized, digest(normalized, certificateDer));
    }

    /**
     * Computes the SDP fingerprint value of a DER-encoded certificate.
     *
     * @param algorithm the hash function name, as in {@link #of(String, byte[])}
     * @param certificateDer the certificate's DER encoding
     * @return the canonical SDP value, for example {@code sha-256 AB:CD:...}
     */
    public static String compute(String algorithm, byte[] certificateDer) {
        return of(algorithm, certificateDer).toSdpValue();
    }

    /**
     * Checks a peer's certificate against the fingerprint from its SDP, hashing with the function the
     * SDP names.
     *
     * @param sdpValue the SDP {@code a=fingerprint} value, case-insensitive
     * @param certificateDer the DER encoding of the certificate the peer presented
     * @return whether the certificate matches
     * @throws IllegalArgumentException if {@code sdpValue} is malformed
     */
    public static boolean matches(String sdpValue, byte[] certificateDer) {
        return parse(sdpValue).matches(certificateDer);
    }

    /**
     * @param certificateDer a DER-encoded certificate
     * @return whether it hashes to this fingerprint
     */
    public boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(hash, digest(algorithm, certificateDer));
    }

    /** @return the hash function name in lowercase, for example {@code sha-256} */
    public String algorithm() {
        return algorithm;
    }

    /** @return a copy of the hash bytes */
    public byte[] hash() {
        return hash.clone();
    }

    /** @return the canonical SDP value: lowercase hash function name, space, uppercase colon hex */
    public String toSdpValue() {
        StringBuilder out = new StringBuilder(algorithm.length() + 1 + hash.length * 3);
        out.append(algorithm).append(' ');
        for (int i = 0; i < hash.length; i++) {
            if (i > 0) {
                out.append(':');
            }
            out.append(HEX[(hash[i] >> 4) & 0xF]).append(HEX[hash[i] & 0xF]);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DtlsFingerprint
                && algorithm.equals(((DtlsFingerprint) other).algorithm)
                && Arrays.equals(hash, ((DtlsFingerprint) other).hash);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    private static int indexOfWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String normalizeAlgorithm(String algorithm) {
        if (algorithm == null) {
            throw new IllegalArgumentException("fingerprint hash function is missing");
        }
        String normalized = algorithm.toLowerCase(Locale.ROOT);
        digestLength(normalized);
        return normalized;
    }

    private static int digestLength(String algorithm) {
        switch (algorithm) {
            case "sha-1" :
                return 20;
            case "sha-256" :
                return 32;
            case "sha-384" :
                return 48;
            case "sha-512" :
                return 64;
            default :
                throw new IllegalArgumentException("unsupported fingerprint hash function '" + algorithm
                        + "' (expected sha-1, sha-256, sha-384 or sha-512)");
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT)).digest(data);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-1, SHA-256, SHA-384 and SHA-512
            throw new IllegalStateException("JCA lacks " + algorithm, e);
        }
    }
}
